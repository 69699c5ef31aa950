// RFC 3986 percent-encoding as SigV4 requires: every byte except A-Z a-z 0-9 - . _ ~ becomes %XY
// (upper-case hex). https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
const UNRESERVED = /^[A-Za-z0-9\-._~]*$/;

export function uriEncode(text: string): string {
  if (UNRESERVED.test(text)) return text;
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const isUnreserved =
      (byte >= 0x41 && byte <= 0x5a) ||
      (byte >= 0x61 && byte <= 0x7a) ||
      (byte >= 0x30 && byte <= 0x39) ||
      byte === 0x2d ||
      byte === 0x2e ||
      byte === 0x5f ||
      byte === 0x7e;
    out += isUnreserved
      ? String.fromCharCode(byte)
      : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Decodes %XY escapes; a malformed escape is kept as it was sent. */
export function uriDecode(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
