import { constants, createHash, generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { rsaSign, rsaVerify } from './rsa.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const message = Buffer.from('a message signed through its digest');
const pss = { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING };

describe('RSA signatures over a DIGEST', () => {
  for (const hash of ['sha256', 'sha384', 'sha512'] as const) {
    it(`PSS ${hash}: node:crypto verifies it over the message with salt length = digest length`, () => {
      const digest = createHash(hash).update(message).digest();
      const signature = rsaSign(privateKey, {
        hash,
        pss: true,
        message: digest,
        messageType: 'DIGEST',
      });
      expect(verify(hash, message, { ...pss, saltLength: digest.length }, signature)).toBe(true);
      expect(
        rsaVerify(
          publicKey,
          { hash, pss: true, message: digest, messageType: 'DIGEST' },
          signature,
        ),
      ).toBe(true);
    });

    it(`PKCS#1 v1.5 ${hash}: identical to node:crypto signing the message`, () => {
      const digest = createHash(hash).update(message).digest();
      const signature = rsaSign(privateKey, {
        hash,
        pss: false,
        message: digest,
        messageType: 'DIGEST',
      });
      expect(signature.equals(sign(hash, message, privateKey))).toBe(true);
      expect(
        rsaVerify(
          publicKey,
          { hash, pss: false, message: digest, messageType: 'DIGEST' },
          signature,
        ),
      ).toBe(true);
    });
  }

  it('rejects a PSS signature whose salt is longer than the digest, and a changed digest', () => {
    const digest = createHash('sha256').update(message).digest();
    const maxSalt = sign('sha256', message, {
      key: privateKey,
      padding: constants.RSA_PKCS1_PSS_PADDING,
    });
    const request = { hash: 'sha256', pss: true, message: digest, messageType: 'DIGEST' } as const;
    expect(rsaVerify(publicKey, request, maxSalt)).toBe(false);
    const good = rsaSign(privateKey, request);
    const other = { ...request, message: createHash('sha256').update('x').digest() };
    expect(rsaVerify(publicKey, other, good)).toBe(false);
  });
});
