// Step 4 of SigV4: the signature (HMAC-SHA256 of the string to sign under the signing key) and its
// constant-time comparison with the signature the client sent.
import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';

const HEX_SIGNATURE = /^[0-9a-f]{64}$/;

export function computeSignature(signingKey: KeyObject | Buffer, stringToSign: string): Buffer {
  return createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest();
}

const expectedBytes = Buffer.alloc(32);
const providedBytes = Buffer.alloc(32);

/**
 * Compares in constant time; a signature that is not 64 lower-case hex digits never matches.
 * @param expectedHex the computed signature, 64 lower-case hex digits
 */
export function signaturesMatch(expectedHex: string, providedHex: string): boolean {
  if (!HEX_SIGNATURE.test(providedHex)) return false;
  expectedBytes.write(expectedHex, 0, 'hex');
  providedBytes.write(providedHex, 0, 'hex');
  const isMatch = timingSafeEqual(expectedBytes, providedBytes);
  expectedBytes.fill(0);
  return isMatch;
}
