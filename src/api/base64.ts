// Whether a string is standard base64 (RFC 4648 §4: A–Z a–z 0–9 + /, '=' padding) as the wire's blobs
// are: whole groups of four, then an optional last group of two or three characters, padded or not.
// Checked in one linear pass: a blob can be kilobytes long and this runs on every request that has one.
// `decodeBase64` decodes and checks at once, mostly without that pass.

/** Alphabet characters, then at most two '=' and nothing after them; linear in V8 (no nested quantifier). */
const ALPHABET_THEN_PADDING = /^[A-Za-z0-9+/]*={0,2}$/;
const EQUALS = 0x3d;

/**
 * Accepts exactly what `/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/` does:
 * n alphabet characters then p '=' with (p = 0 and n mod 4 ≠ 1), (p = 1 and n mod 4 = 3) or
 * (p = 2 and n mod 4 = 2).
 */
export function isBase64(text: string): boolean {
  if (!ALPHABET_THEN_PADDING.test(text)) return false;
  let n = text.length;
  let padding = 0;
  while (padding < 2 && n > 0 && text.charCodeAt(n - 1) === EQUALS) {
    padding++;
    n--;
  }
  const rest = n % 4;
  if (padding === 0) return rest !== 1;
  return padding === 1 ? rest === 3 : rest === 2;
}

/** Below this length the character check costs no more than encoding the bytes again (measured). */
const SHORT_TEXT = 64;

/**
 * The bytes of base64 `text` (what `isBase64` accepts) in a zero-filled buffer of their own, never the
 * shared pool (a blob may be a secret); undefined when `text` is not base64.
 *
 * Node's decoder is lenient (it skips characters outside the alphabet, reads '-' and '_', and keeps only
 * the low byte of a wider character), so a long text's bytes are checked afterwards: `text` is base64
 * when it is their canonical encoding, padded or not. Only a text that is not (invalid, or valid with
 * non-zero trailing bits) goes through the character check, which over a long text costs several times
 * the encoding (a JavaScript or regular-expression pass is slower per character than Node's encoder).
 * The encoding is a string equal to `text`: it holds nothing that the request's own text does not.
 */
export function decodeBase64(text: string): Buffer | undefined {
  const checkedFirst = text.length < SHORT_TEXT;
  if (checkedFirst && !isBase64(text)) return undefined;
  const bytes = Buffer.alloc(Buffer.byteLength(text, 'base64'));
  bytes.write(text, 'base64');
  if (checkedFirst || isEncodingOf(bytes, text) || isBase64(text)) return bytes;
  bytes.fill(0);
  return undefined;
}

/** Whether `text` is the canonical base64 encoding of `bytes`, or that encoding without its padding. */
function isEncodingOf(bytes: Buffer, text: string): boolean {
  const canonical = bytes.toString('base64');
  if (canonical === text) return true;
  // Unpadded: the canonical encoding is `text` followed by one or two '=', and `text` holds none (its
  // last character is not '=': 'AA=' is a prefix of 'AA==' but not base64).
  const padding = canonical.length - text.length;
  return (
    (padding === 1 || padding === 2) &&
    canonical.charCodeAt(text.length) === EQUALS &&
    text.charCodeAt(text.length - 1) !== EQUALS &&
    canonical.startsWith(text)
  );
}
