// Signs hand-made requests with @smithy/signature-v4 (the signer inside the AWS JS SDK), so tests
// can alter a signed request before sending it.
import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentials } from './harness.js';

function toBytes(data: string | ArrayBuffer | ArrayBufferView): string | Buffer {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/** SHA-256 (or HMAC-SHA-256 with a secret) in the shape @smithy/signature-v4 expects. */
export class NodeSha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

export interface SignOptions {
  readonly service?: string;
  readonly region?: string;
  readonly date?: Date;
  readonly target?: string;
  readonly contentType?: string;
}

/** The headers (without host) of a POST / signed like an SDK signs it. */
export async function signedHeaders(
  baseUrl: string,
  credentials: AwsCredentials,
  body: string,
  options: SignOptions = {},
): Promise<Record<string, string>> {
  const url = new URL(baseUrl);
  const signer = new SignatureV4({
    credentials,
    region: options.region ?? 'us-east-1',
    service: options.service ?? 'kms',
    sha256: NodeSha256,
  });
  const headers: Record<string, string> = {
    host: url.host,
    'content-type': options.contentType ?? 'application/x-amz-json-1.1',
  };
  if (options.target !== undefined) headers['x-amz-target'] = options.target;
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: '/',
      headers,
      body,
    },
    options.date ? { signingDate: options.date } : {},
  );
  const out = { ...(signed.headers as Record<string, string>) };
  delete out.host;
  return out;
}
