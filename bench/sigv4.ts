// Signs benchmark requests with AWS Signature Version 4 (service kms). Signing happens once per
// request body, before a load run starts; it must never run inside the measured loop.
import { createHash, createHmac } from 'node:crypto';

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface SignInput {
  readonly host: string;
  readonly target: string;
  readonly body: string;
  readonly date: Date;
}

export const CONTENT_TYPE = 'application/x-amz-json-1.1';

/** `20261129T175000Z` from a Date (ISO 8601 basic format, UTC, no milliseconds). */
export function amzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function hmac(key: Buffer | string, text: string): Buffer {
  return createHmac('sha256', key).update(text, 'utf8').digest();
}

/**
 * A signer for one access key and region. The derived signing key depends only on the day, so it is
 * computed once per day and reused, as the SigV4 specification allows.
 */
export class RequestSigner {
  private cachedDay = '';
  private cachedKey: Buffer = Buffer.alloc(0);

  constructor(
    private readonly credentials: Credentials,
    private readonly region: string,
    private readonly service = 'kms',
  ) {}

  private signingKey(day: string): Buffer {
    if (day !== this.cachedDay) {
      const kDate = hmac(`AWS4${this.credentials.secretAccessKey}`, day);
      const kRegion = hmac(kDate, this.region);
      const kService = hmac(kRegion, this.service);
      this.cachedKey = hmac(kService, 'aws4_request');
      this.cachedDay = day;
    }
    return this.cachedKey;
  }

  /** The headers of a signed AWS JSON 1.1 POST / request, lower-case names. */
  sign(input: SignInput): Record<string, string> {
    const stamp = amzDate(input.date);
    const day = stamp.slice(0, 8);
    const headers: Record<string, string> = {
      'content-type': CONTENT_TYPE,
      host: input.host,
      'x-amz-date': stamp,
      'x-amz-target': input.target,
    };
    if (this.credentials.sessionToken !== undefined)
      headers['x-amz-security-token'] = this.credentials.sessionToken;
    const names = Object.keys(headers).sort();
    const canonicalHeaders = names.map((n) => `${n}:${(headers[n] ?? '').trim()}\n`).join('');
    const signedHeaders = names.join(';');
    const canonicalRequest = [
      'POST',
      '/',
      '',
      canonicalHeaders,
      signedHeaders,
      sha256Hex(input.body),
    ].join('\n');
    const scope = `${day}/${this.region}/${this.service}/aws4_request`;
    const stringToSign = ['AWS4-HMAC-SHA256', stamp, scope, sha256Hex(canonicalRequest)].join('\n');
    const signature = createHmac('sha256', this.signingKey(day))
      .update(stringToSign, 'utf8')
      .digest('hex');
    headers.authorization =
      `AWS4-HMAC-SHA256 Credential=${this.credentials.accessKeyId}/${scope}, ` +
      `SignedHeaders=${signedHeaders}, Signature=${signature}`;
    return headers;
  }
}
