// HMAC for GENERATE_VERIFY_MAC keys (RFC 2104) and the constant-time comparison VerifyMac needs.
import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';
import { MAC_HASHES } from './algorithms.js';

export function generateHmac(key: KeyObject, macAlgorithm: string, message: Buffer): Buffer {
  const hash = MAC_HASHES.get(macAlgorithm);
  if (!hash) throw new Error(`unknown MAC algorithm ${macAlgorithm}`);
  return createHmac(hash, key).update(message).digest();
}

/** Recomputes the MAC and compares in constant time (the length check leaks only the length). */
export function verifyHmac(
  key: KeyObject,
  macAlgorithm: string,
  message: Buffer,
  mac: Buffer,
): boolean {
  const expected = generateHmac(key, macAlgorithm, message);
  return expected.length === mac.length && timingSafeEqual(expected, mac);
}
