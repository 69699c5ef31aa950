// Parses the SigV4 Authorization header (AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…)
// into its parts. Only syntax is checked here; scope, date and signature are checked by verify.ts.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-signing-elements.html
import { incompleteSignature } from './errors.js';

export const ALGORITHM = 'AWS4-HMAC-SHA256';

export interface CredentialScope {
  readonly accessKeyId: string;
  /** YYYYMMDD */
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly terminator: string;
}

export interface ParsedAuthorization {
  readonly scope: CredentialScope;
  /** The credential scope as sent: date/region/service/terminator. */
  readonly scopeText: string;
  /** The SignedHeaders value as sent (lower-case names joined by ';'). */
  readonly signedHeadersText: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

/** Splits the header into its named components; a missing one is reported as AWS does. */
export function parseAuthorizationHeader(header: string, hasDate: boolean): ParsedAuthorization {
  const trimmed = header.trim();
  const space = trimmed.indexOf(' ');
  const algorithm = space < 0 ? trimmed : trimmed.slice(0, space);
  if (algorithm !== ALGORITHM) {
    throw incompleteSignature(
      `Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=${trimmed}`,
    );
  }
  let credential: string | undefined;
  let signedHeadersText: string | undefined;
  let signature: string | undefined;
  for (const part of trimmed.slice(space + 1).split(',')) {
    const item = part.trim();
    const eq = item.indexOf('=');
    if (eq < 0) continue;
    const name = item.slice(0, eq);
    const value = item.slice(eq + 1);
    if (name === 'Credential') credential = value;
    else if (name === 'SignedHeaders') signedHeadersText = value;
    else if (name === 'Signature') signature = value;
  }
  const missing: string[] = [];
  if (credential === undefined)
    missing.push("Authorization header requires 'Credential' parameter.");
  if (signature === undefined) missing.push("Authorization header requires 'Signature' parameter.");
  if (signedHeadersText === undefined)
    missing.push("Authorization header requires 'SignedHeaders' parameter.");
  if (!hasDate)
    missing.push(
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    );
  if (missing.length > 0 || credential === undefined || signature === undefined) {
    throw incompleteSignature(`${missing.join(' ')} Authorization=${trimmed}`);
  }
  const scope = parseCredential(credential);
  const headersText = signedHeadersText ?? '';
  return {
    scope,
    scopeText: credential.slice(scope.accessKeyId.length + 1),
    signedHeadersText: headersText,
    signedHeaders: headersText.split(';'),
    signature,
  };
}

function parseCredential(credential: string): CredentialScope {
  const parts = credential.split('/');
  const [accessKeyId, date, region, service, terminator] = parts;
  if (
    parts.length !== 5 ||
    accessKeyId === undefined ||
    date === undefined ||
    region === undefined ||
    service === undefined ||
    terminator === undefined
  ) {
    throw incompleteSignature(
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
    );
  }
  return { accessKeyId, date, region, service, terminator };
}
