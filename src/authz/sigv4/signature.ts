// Step 4 of SigV4: the signature (HMAC-SHA256 of the string to sign under the signing key) and its
// constant-time comparison with the signature the client sent.
import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';

const HEX_SIGNATURE = /^[0-9a-f]{64}$/;

export function computeSignature(signingKey: KeyObject | Buffer, stringToSign: string): Buffer {
  return createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest();
}

/** Compares in constant time; a signature that is not 64 lower-case hex digits never matches. */
export function signaturesMatch(expected: Buffer, providedHex: string): boolean {
  if (!HEX_SIGNATURE.test(providedHex)) return false;
  return timingSafeEqual(expected, Buffer.from(providedHex, 'hex'));
}
