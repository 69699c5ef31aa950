// Step 1 of SigV4: the canonical request (method, URI, query, headers, signed headers, payload hash).
// Non-S3 services normalise the path and encode each segment of the path as received, so a path that
// was encoded once on the wire is encoded twice here, as AWS documents.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#create-canonical-request
import { uriDecode, uriEncode } from './uri-encode.js';

/** Header name (lower-case) → its values in arrival order (a Map from groupHeaders is one). */
export interface HeaderValues {
  get(name: string): readonly string[] | undefined;
}

/** Groups Node's rawHeaders ([name, value, name, value, …]) by lower-case name, keeping every value. */
export function groupHeaders(rawHeaders: readonly string[]): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] as string).toLowerCase();
    const value = rawHeaders[i + 1] as string;
    const values = headers.get(name);
    if (values) values.push(value);
    else headers.set(name, [value]);
  }
  return headers;
}

export function canonicalUri(path: string): string {
  if (path === '/') return path;
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(uriEncode(segment));
  }
  const trailing = path.length > 1 && path.endsWith('/') && segments.length > 0 ? '/' : '';
  return `/${segments.join('/')}${trailing}`;
}

export function canonicalQuery(query: string): string {
  if (query === '') return '';
  const pairs: [string, string][] = [];
  for (const item of query.split('&')) {
    if (item === '') continue;
    const eq = item.indexOf('=');
    const name = eq < 0 ? item : item.slice(0, eq);
    const value = eq < 0 ? '' : item.slice(eq + 1);
    pairs.push([uriEncode(uriDecode(name)), uriEncode(uriDecode(value))]);
  }
  pairs.sort((a, b) => compare(a[0], b[0]) || compare(a[1], b[1]));
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Trims a value and folds each run of spaces into one, as the canonical form requires. */
function canonicalValue(value: string): string {
  const trimmed = value.trim();
  return trimmed.includes('  ') ? trimmed.replace(/ {2,}/g, ' ') : trimmed;
}

/** The canonical headers block; `undefined` when a signed header is absent from the request. */
export function canonicalHeaders(
  headers: HeaderValues,
  signedHeaders: readonly string[],
): string | undefined {
  let out = '';
  for (const name of signedHeaders) {
    const values = headers.get(name);
    if (values === undefined) return undefined;
    const value =
      values.length === 1
        ? canonicalValue(values[0] as string)
        : values.map(canonicalValue).join(',');
    out += `${name}:${value}\n`;
  }
  return out;
}

export interface CanonicalRequestParts {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  /** The canonical headers block (each line ends with \n). */
  readonly canonicalHeaders: string;
  readonly signedHeadersText: string;
  readonly payloadHashHex: string;
}

export function buildCanonicalRequest(parts: CanonicalRequestParts): string {
  return `${parts.method}\n${canonicalUri(parts.path)}\n${canonicalQuery(parts.query)}\n${parts.canonicalHeaders}\n${parts.signedHeadersText}\n${parts.payloadHashHex}`;
}
