// Verifies an AWS Signature Version 4 request and names the credential that signed it. Order:
// header syntax → date → scope (date, region, service, terminator) → clock skew → signed-header
// rules → credential lookup → payload hash → signature (constant-time). Secrets never reach an error.
import type { KeyObject } from 'node:crypto';
import { sha256Hex } from '../../crypto/sha256.js';
import { parseAuthorizationHeader } from './authorization-header.js';
import { buildCanonicalRequest, canonicalHeaders, type HeaderValues } from './canonical-request.js';
import { invalidSignature, missingAuthentication, signatureMismatch } from './errors.js';
import { checkClockSkew, parseRequestDate } from './request-date.js';
import { signaturesMatch } from './signature.js';
import type { SigningKeyCache } from './signing-key.js';
import { buildStringToSign } from './string-to-sign.js';

export interface SignedRequest {
  readonly method: string;
  /** The path as received (still percent-encoded), without the query. */
  readonly path: string;
  /** The query string as received, without '?'. */
  readonly query: string;
  readonly headers: HeaderValues;
  readonly body: string | Buffer;
}

export interface VerifiedCredential<P> {
  readonly accessKeyId: string;
  readonly principal: P;
}

export interface VerifyOptions<P> {
  readonly region: string;
  /** Signing names accepted for this request, e.g. ['kms'] or ['sts']. */
  readonly service: string;
  readonly nowMs: number;
  readonly cache: SigningKeyCache;
  /** Finds the secret for an access key id; throws UnrecognizedClient/ExpiredToken as appropriate. */
  resolve(
    accessKeyId: string,
    sessionToken: string | undefined,
    nowMs: number,
  ): { readonly secret: KeyObject; readonly principal: P };
}

function single(headers: HeaderValues, name: string): string | undefined {
  const values = headers.get(name);
  if (values === undefined) return undefined;
  return values.length === 1 ? values[0] : values.join(',');
}

export function verifySignedRequest<P>(
  request: SignedRequest,
  options: VerifyOptions<P>,
): VerifiedCredential<P> {
  const { headers } = request;
  const authorization = single(headers, 'authorization');
  if (authorization === undefined || authorization.trim() === '') throw missingAuthentication();
  const amzDateHeader = single(headers, 'x-amz-date');
  const dateHeader = single(headers, 'date');
  const auth = parseAuthorizationHeader(
    authorization,
    amzDateHeader !== undefined || dateHeader !== undefined,
  );
  const date = parseRequestDate(amzDateHeader, dateHeader);
  const { scope } = auth;
  const day = date.amzDate.slice(0, 8);
  if (scope.date !== day) {
    throw invalidSignature(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scope.date}' != '${day}', from '${date.amzDate}'.`,
    );
  }
  if (scope.region !== options.region)
    throw invalidSignature(`Credential should be scoped to a valid region. `);
  if (scope.service !== options.service)
    throw invalidSignature(
      `Credential should be scoped to correct service: '${options.service}'. `,
    );
  if (scope.terminator !== 'aws4_request') {
    throw invalidSignature(
      `Credential should be scoped with a valid terminator: 'aws4_request', not '${scope.terminator}'. `,
    );
  }
  checkClockSkew(date, options.nowMs);
  // Precondition: the host and the request-date header must be among the signed headers.
  if (!auth.signedHeaders.includes('host'))
    throw invalidSignature(
      `'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.`,
    );
  const dateName = amzDateHeader !== undefined ? 'x-amz-date' : 'date';
  if (!auth.signedHeaders.includes(dateName)) {
    throw invalidSignature(
      `'${amzDateHeader !== undefined ? 'X-Amz-Date' : 'Date'}' must be a 'SignedHeader' in the AWS Authorization.`,
    );
  }
  const sessionToken = single(headers, 'x-amz-security-token');
  const { secret, principal } = options.resolve(scope.accessKeyId, sessionToken, options.nowMs);
  const payloadHashHex = sha256Hex(request.body);
  const declaredHash = single(headers, 'x-amz-content-sha256');
  if (declaredHash !== undefined && declaredHash !== payloadHashHex) {
    throw invalidSignature(
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    );
  }
  const headerBlock = canonicalHeaders(headers, auth.signedHeaders);
  if (headerBlock === undefined) throw signatureMismatch();
  const canonicalRequest = buildCanonicalRequest({
    method: request.method,
    path: request.path,
    query: request.query,
    canonicalHeaders: headerBlock,
    signedHeadersText: auth.signedHeadersText,
    payloadHashHex,
  });
  const stringToSign = buildStringToSign(date.amzDate, auth.scopeText, canonicalRequest);
  const signingKey = options.cache.get(scope, secret);
  // Precondition: the signature must match, compared in constant time.
  if (!signaturesMatch(signingKey.hex(stringToSign), auth.signature)) throw signatureMismatch();
  return { accessKeyId: scope.accessKeyId, principal };
}
