import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  decodeIntegerPair,
  ecPrivateScalar,
  encodeIntegerPair,
  readTlv,
  spkiPublicKey,
} from './der.js';

describe('DER helpers', () => {
  it('round-trips an INTEGER pair, including values with the high bit set', () => {
    const r = 0x80ffn;
    const s = 2n ** 255n + 7n;
    expect(decodeIntegerPair(encodeIntegerPair(r, s))).toEqual({ r, s });
  });

  it('refuses truncated input and trailing bytes', () => {
    const der = encodeIntegerPair(5n, 6n);
    expect(() => readTlv(der.subarray(0, der.length - 1))).toThrow();
    expect(() => decodeIntegerPair(Buffer.concat([der, Buffer.from([0])]))).toThrow();
  });

  it('reads the EC private scalar and public point node:crypto wrote', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const jwk = privateKey.export({ format: 'jwk' });
    const scalar = ecPrivateScalar(privateKey.export({ format: 'der', type: 'pkcs8' }));
    expect(scalar.toString('base64url')).toBe(jwk.d);
    const point = spkiPublicKey(publicKey.export({ format: 'der', type: 'spki' }));
    expect(point.subarray(1, 33).toString('base64url')).toBe(jwk.x);
  });
});
