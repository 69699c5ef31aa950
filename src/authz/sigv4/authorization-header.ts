// Parses the SigV4 Authorization header (AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…)
// into its parts. Only syntax is checked here; scope, date and signature are checked by verify.ts.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-signing-elements.html
import { incompleteSignature } from './errors.js';

export const ALGORITHM = 'AWS4-HMAC-SHA256';

export interface CredentialScope {
  /** The Credential value as sent; it names the scope exactly, as no part holds a '/'. */
  readonly text: string;
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

/** A header seen lately, up to its final "Signature=" component's value, and its parts. */
interface RecentHeader {
  readonly prefix: string;
  readonly parts: ParsedAuthorization;
}

// A client sends the same header all day but for the signature, so recent parses are kept, a few per
// access key id. The key id only narrows the search: a header is read from a kept parse only when it
// begins with that parse's whole prefix.
const RECENT_PER_KEY = 4;
const MAX_RECENT_KEYS = 1024;
const recentHeaders = new Map<string, RecentHeader[]>();

/** The access key id of a header, or some other text when the header is unusual. */
function recentKeyOf(trimmed: string): string {
  const at = trimmed.indexOf('Credential=');
  const slash = at < 0 ? -1 : trimmed.indexOf('/', at);
  return slash < 0 ? '' : trimmed.slice(at + 11, slash);
}

/**
 * A header made of a kept prefix (which ends with its last component's "Signature=") and a tail
 * without ',' splits into the same components, the last being Signature=tail: the kept parts, with
 * the tail as the signature.
 */
function recentParse(trimmed: string): ParsedAuthorization | undefined {
  const recent = recentHeaders.get(recentKeyOf(trimmed));
  if (recent === undefined) return undefined;
  for (const { prefix, parts } of recent) {
    // (slice and === compare whole blocks of characters; startsWith goes one by one)
    if (trimmed.slice(0, prefix.length) === prefix && !trimmed.includes(',', prefix.length)) {
      return {
        scope: parts.scope,
        scopeText: parts.scopeText,
        signedHeadersText: parts.signedHeadersText,
        signedHeaders: parts.signedHeaders,
        signature: trimmed.slice(prefix.length),
      };
    }
  }
  return undefined;
}

/** Keeps a parse whose last component is the signature, which therefore ends the trimmed header. */
function keepParse(trimmed: string, parts: ParsedAuthorization): void {
  const key = recentKeyOf(trimmed);
  let recent = recentHeaders.get(key);
  if (recent === undefined) {
    if (recentHeaders.size >= MAX_RECENT_KEYS) recentHeaders.clear();
    recentHeaders.set(key, (recent = []));
  }
  if (recent.length >= RECENT_PER_KEY) recent.shift();
  recent.push({ prefix: trimmed.slice(0, trimmed.length - parts.signature.length), parts });
}

/** Splits the header into its named components; a missing one is reported as AWS does. */
export function parseAuthorizationHeader(header: string, hasDate: boolean): ParsedAuthorization {
  const trimmed = header.trim();
  // Without a date the full parse reports what is missing.
  const recent = hasDate ? recentParse(trimmed) : undefined;
  if (recent !== undefined) return recent;
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
  let isSignatureLast = false;
  // Comma-separated name=value components, each trimmed; a later one wins, one without '=' is skipped.
  for (let start = space + 1; start <= trimmed.length;) {
    let end = trimmed.indexOf(',', start);
    if (end < 0) end = trimmed.length;
    const item = trimmed.slice(start, end).trim();
    isSignatureLast = false;
    if (item.startsWith('Credential=')) credential = item.slice(11);
    else if (item.startsWith('SignedHeaders=')) signedHeadersText = item.slice(14);
    else if (item.startsWith('Signature=')) {
      signature = item.slice(10);
      isSignatureLast = true;
    }
    start = end + 1;
  }
  if (
    credential === undefined ||
    signature === undefined ||
    signedHeadersText === undefined ||
    !hasDate
  ) {
    throw incompleteSignature(
      `${missingComponents(credential, signature, signedHeadersText, hasDate)} Authorization=${trimmed}`,
    );
  }
  const scope = Object.freeze(parseCredential(credential));
  const parts: ParsedAuthorization = {
    scope,
    scopeText: credential.slice(scope.accessKeyId.length + 1),
    signedHeadersText,
    signedHeaders: Object.freeze(signedHeadersText.split(';')),
    signature,
  };
  if (isSignatureLast) keepParse(trimmed, parts);
  return parts;
}

function missingComponents(
  credential: string | undefined,
  signature: string | undefined,
  signedHeadersText: string | undefined,
  hasDate: boolean,
): string {
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
  return missing.join(' ');
}

/** accessKeyId/date/region/service/terminator: exactly five slash-delimited parts. */
function parseCredential(credential: string): CredentialScope {
  const a = credential.indexOf('/');
  const b = a < 0 ? -1 : credential.indexOf('/', a + 1);
  const c = b < 0 ? -1 : credential.indexOf('/', b + 1);
  const d = c < 0 ? -1 : credential.indexOf('/', c + 1);
  if (d < 0 || credential.includes('/', d + 1)) {
    throw incompleteSignature(
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
    );
  }
  return {
    text: credential,
    accessKeyId: credential.slice(0, a),
    date: credential.slice(a + 1, b),
    region: credential.slice(b + 1, c),
    service: credential.slice(c + 1, d),
    terminator: credential.slice(d + 1),
  };
}
