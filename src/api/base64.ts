// Whether a string is standard base64 (RFC 4648 §4: A–Z a–z 0–9 + /, '=' padding) as the wire's blobs
// are: whole groups of four, then an optional last group of two or three characters, padded or not.
// Checked in one linear pass: a blob can be kilobytes long and this runs on every request that has one.

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
