import { createHash, generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { decodeIntegerPair, encodeIntegerPair, encodeTlv, spkiPublicKey } from './der.js';
import { digestInteger, isDigestSigningCurve, signDigest, verifyDigest } from './ecdsa-digest.js';

const CASES = [
  { curve: 'prime256v1', hash: 'sha256', noble: p256 },
  { curve: 'secp256k1', hash: 'sha256', noble: secp256k1 },
  { curve: 'secp384r1', hash: 'sha384', noble: p384 },
  { curve: 'secp521r1', hash: 'sha512', noble: p521 },
] as const;

describe('signDigest', () => {
  for (const { curve, hash, noble } of CASES) {
    describe(curve, () => {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curve });
      const n = noble.Point.CURVE().n;

      it('signs the digest of a message so that OpenSSL verifies it against the message', () => {
        for (let i = 0; i < 25; i++) {
          const message = randomBytes(1 + i * 7);
          const digest = createHash(hash).update(message).digest();
          const signature = signDigest(privateKey, digest);
          expect(verify(hash, message, { key: publicKey, dsaEncoding: 'der' }, signature)).toBe(
            true,
          );
        }
      });

      it('is verified by an independent implementation over the digest, and r and s are in range', () => {
        const point = spkiPublicKey(publicKey.export({ format: 'der', type: 'spki' }));
        for (let i = 0; i < 10; i++) {
          const digest = randomBytes(createHash(hash).digest().length);
          const signature = signDigest(privateKey, digest);
          const opts = { prehash: false, lowS: false, format: 'der' } as const;
          expect(noble.verify(signature, digest, point, opts)).toBe(true);
          const { r, s } = decodeIntegerPair(signature);
          expect(r > 0n && r < n).toBe(true);
          expect(s > 0n && s < n).toBe(true);
        }
      });

      it('uses a fresh nonce every time', () => {
        const digest = createHash(hash).update('same').digest();
        const a = decodeIntegerPair(signDigest(privateKey, digest));
        const b = decodeIntegerPair(signDigest(privateKey, digest));
        expect(a.r).not.toBe(b.r);
      });

      it('fails verification for another digest or another key', () => {
        const digest = createHash(hash).update('one').digest();
        const signature = signDigest(privateKey, digest);
        expect(
          verify(hash, Buffer.from('two'), { key: publicKey, dsaEncoding: 'der' }, signature),
        ).toBe(false);
        const other = generateKeyPairSync('ec', { namedCurve: curve }).publicKey;
        expect(
          verify(hash, Buffer.from('one'), { key: other, dsaEncoding: 'der' }, signature),
        ).toBe(false);
      });
    });
  }

  it('refuses keys it cannot sign with', () => {
    const ed = generateKeyPairSync('ed25519');
    expect(() => signDigest(ed.privateKey, randomBytes(32))).toThrow();
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    expect(() => signDigest(ec.publicKey, randomBytes(32))).toThrow();
    expect(isDigestSigningCurve('prime256v1')).toBe(true);
    expect(isDigestSigningCurve('SM2')).toBe(false);
    expect(isDigestSigningCurve(undefined)).toBe(false);
  });
});

describe('verifyDigest', () => {
  for (const { curve, hash, noble } of CASES) {
    describe(curve, () => {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curve });
      const n = noble.Point.CURVE().n;
      const digestOf = (message: Buffer) => createHash(hash).update(message).digest();

      it('accepts what OpenSSL signs over the message, and its own signatures', () => {
        for (let i = 0; i < 10; i++) {
          const message = randomBytes(1 + i * 11);
          const openssl = sign(hash, message, { key: privateKey, dsaEncoding: 'der' });
          expect(verifyDigest(privateKey, digestOf(message), openssl)).toBe(true);
          expect(
            verifyDigest(privateKey, digestOf(message), signDigest(privateKey, digestOf(message))),
          ).toBe(true);
        }
      });

      it('agrees with an independent implementation on valid and altered signatures', () => {
        const point = spkiPublicKey(publicKey.export({ format: 'der', type: 'spki' }));
        const opts = { prehash: false, lowS: false, format: 'der' } as const;
        for (let i = 0; i < 20; i++) {
          const digest = randomBytes(createHash(hash).digest().length);
          const { r, s } = decodeIntegerPair(signDigest(privateKey, digest));
          // Valid, then r or s changed by a little, then the digest of another message.
          const candidates = [
            [digest, encodeIntegerPair(r, s)],
            [digest, encodeIntegerPair(r, s ^ (1n << BigInt(i)))],
            [digest, encodeIntegerPair(r ^ (1n << BigInt(i * 3)), s)],
            [randomBytes(digest.length), encodeIntegerPair(r, s)],
          ] as const;
          for (const [d, signature] of candidates) {
            expect(verifyDigest(privateKey, d, signature)).toBe(
              noble.verify(signature, d, point, opts),
            );
          }
          expect(verifyDigest(privateKey, digest, encodeIntegerPair(r, s))).toBe(true);
        }
      });

      it('accepts (r, n − s) as OpenSSL does, and refuses r or s out of [1, n − 1]', () => {
        const message = randomBytes(40);
        const digest = digestOf(message);
        const { r, s } = decodeIntegerPair(signDigest(privateKey, digest));
        const flipped = encodeIntegerPair(r, n - s);
        expect(verify(hash, message, { key: publicKey, dsaEncoding: 'der' }, flipped)).toBe(true);
        expect(verifyDigest(privateKey, digest, flipped)).toBe(true);
        for (const [badR, badS] of [
          [0n, s],
          [r, 0n],
          [r + n, s],
          [r, s + n],
          [n, s],
        ] as const) {
          expect(verifyDigest(privateKey, digest, encodeIntegerPair(badR, badS))).toBe(false);
        }
      });

      it('refuses a signature by another key and encodings that are not canonical DER', () => {
        const digest = digestOf(Buffer.from('one'));
        const signature = signDigest(privateKey, digest);
        const other = generateKeyPairSync('ec', { namedCurve: curve }).privateKey;
        expect(verifyDigest(other, digest, signature)).toBe(false);
        const { r, s } = decodeIntegerPair(signature);
        const integer = (v: bigint, pad: number) => {
          let hex = v.toString(16);
          if (hex.length % 2) hex = `0${hex}`;
          return encodeTlv(0x02, Buffer.concat([Buffer.alloc(pad), Buffer.from(hex, 'hex')]));
        };
        const padded = encodeTlv(0x30, Buffer.concat([integer(r, 2), integer(s, 2)]));
        expect(decodeIntegerPair(padded)).toEqual({ r, s });
        expect(verifyDigest(privateKey, digest, padded)).toBe(false);
        expect(verifyDigest(privateKey, digest, Buffer.concat([signature, Buffer.from([0])]))).toBe(
          false,
        );
        expect(verifyDigest(privateKey, digest, Buffer.alloc(0))).toBe(false);
        expect(verifyDigest(privateKey, digest, signature.subarray(0, signature.length - 1))).toBe(
          false,
        );
      });
    });
  }

  it('refuses keys it cannot verify with', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const signature = signDigest(ec.privateKey, randomBytes(32));
    expect(() => verifyDigest(ec.publicKey, randomBytes(32), signature)).toThrow();
  });
});

describe('digestInteger', () => {
  it('keeps the leftmost bits when the digest is longer than the order', () => {
    const digest = Buffer.from('ff'.repeat(66), 'hex');
    expect(digestInteger(digest, 521)).toBe((1n << 521n) - 1n);
    expect(digestInteger(Buffer.from('8001', 'hex'), 9)).toBe(0x100n);
    expect(digestInteger(Buffer.from('0102', 'hex'), 16)).toBe(0x0102n);
  });
});
