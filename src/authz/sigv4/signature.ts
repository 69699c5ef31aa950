// Step 4 of SigV4: the signature (HMAC-SHA256 of the string to sign under the signing key) and its
// constant-time comparison with the signature the client sent.
import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';

export function computeSignature(signingKey: KeyObject | Buffer, stringToSign: string): Buffer {
  return createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest();
}

const SIGNATURE_LENGTH = 64;
// Both texts as UTF-16 code units, so that every string has its own bytes.
const expectedText = Buffer.alloc(SIGNATURE_LENGTH * 2);
const providedText = Buffer.alloc(SIGNATURE_LENGTH * 2);

/**
 * Compares in constant time; a signature that is not 64 lower-case hex digits never matches.
 * @param expectedHex the computed signature, 64 lower-case hex digits
 */
export function signaturesMatch(expectedHex: string, providedHex: string): boolean {
  // Only the length may show in the timing: the provided text must equal the expected one exactly,
  // so anything but its 64 lower-case hex digits fails.
  if (providedHex.length !== SIGNATURE_LENGTH || expectedHex.length !== SIGNATURE_LENGTH)
    return false;
  expectedText.write(expectedHex, 0, 'utf16le');
  providedText.write(providedHex, 0, 'utf16le');
  const isMatch = timingSafeEqual(expectedText, providedText);
  expectedText.fill(0);
  return isMatch;
}
