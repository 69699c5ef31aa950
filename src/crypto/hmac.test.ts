import { createSecretKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateHmac, verifyHmac } from './hmac.js';

// RFC 4231 §4.3, test case 2.
const key = createSecretKey(Buffer.from('Jefe'));
const data = Buffer.from('what do ya want for nothing?');
const expected: Record<string, string> = {
  HMAC_SHA_224: 'a30e01098bc6dbbf45690f3a7e9e6d0f8bbea2a39e6148008fd05e44',
  HMAC_SHA_256: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
  HMAC_SHA_384:
    'af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649',
  HMAC_SHA_512:
    '164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737',
};

describe('HMAC', () => {
  for (const [algorithm, mac] of Object.entries(expected)) {
    it(`${algorithm} matches RFC 4231 test case 2 and verifies only the exact MAC`, () => {
      expect(generateHmac(key, algorithm, data).toString('hex')).toBe(mac);
      const bytes = Buffer.from(mac, 'hex');
      expect(verifyHmac(key, algorithm, data, bytes)).toBe(true);
      bytes[0] = (bytes[0] ?? 0) ^ 1;
      expect(verifyHmac(key, algorithm, data, bytes)).toBe(false);
      expect(verifyHmac(key, algorithm, data, bytes.subarray(1))).toBe(false);
    });
  }
});
