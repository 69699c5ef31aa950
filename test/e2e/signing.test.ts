import { createHash, createPublicKey, constants, verify as nodeVerify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeySpec, SigningAlgorithmSpec } from '@aws-sdk/client-kms';
import { openssl, spkiPem } from '../support/openssl.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
});

import { message, signer } from './signing-support.js';
const { signingKey, trentSign } = signer(() => h);
const hashOf = (alg: string) => `sha${alg.slice(-3)}`;
const classic: [KeySpec, SigningAlgorithmSpec][] = [
  ['RSA_2048', 'RSASSA_PSS_SHA_256'],
  ['RSA_2048', 'RSASSA_PSS_SHA_384'],
  ['RSA_2048', 'RSASSA_PSS_SHA_512'],
  ['RSA_2048', 'RSASSA_PKCS1_V1_5_SHA_256'],
  ['RSA_2048', 'RSASSA_PKCS1_V1_5_SHA_384'],
  ['RSA_2048', 'RSASSA_PKCS1_V1_5_SHA_512'],
  ['RSA_3072', 'RSASSA_PSS_SHA_384'],
  ['RSA_3072', 'RSASSA_PKCS1_V1_5_SHA_256'],
  ['RSA_4096', 'RSASSA_PSS_SHA_512'],
  ['RSA_4096', 'RSASSA_PKCS1_V1_5_SHA_512'],
  ['ECC_NIST_P256', 'ECDSA_SHA_256'],
  ['ECC_NIST_P384', 'ECDSA_SHA_384'],
  ['ECC_NIST_P521', 'ECDSA_SHA_512'],
  ['ECC_SECG_P256K1', 'ECDSA_SHA_256'],
];

describe('RSA and ECDSA signatures verify with node:crypto from the exported public key', () => {
  for (const [spec, algorithm] of classic) {
    for (const type of ['RAW', 'DIGEST'] as const) {
      it(`${spec} ${algorithm} ${type}`, async () => {
        const hash = hashOf(algorithm);
        const input = type === 'RAW' ? message : createHash(hash).update(message).digest();
        const { spki, signature } = await trentSign(spec, algorithm, input, type);
        const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
        const options = algorithm.startsWith('RSASSA_PSS')
          ? {
              key,
              padding: constants.RSA_PKCS1_PSS_PADDING,
              saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
            }
          : { key, dsaEncoding: 'der' as const };
        expect(nodeVerify(hash, message, options, signature)).toBe(true);
        expect(nodeVerify(hash, Buffer.from('another message'), options, signature)).toBe(false);
      });
    }
  }

  it('uses a PSS salt exactly as long as the digest (a salt-length-64 verifier rejects a SHA-256 signature)', async () => {
    const { spki, signature } = await trentSign('RSA_2048', 'RSASSA_PSS_SHA_256', message, 'RAW');
    const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    const strict = { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
    expect(nodeVerify('sha256', message, strict, signature)).toBe(true);
    expect(nodeVerify('sha256', message, { ...strict, saltLength: 64 }, signature)).toBe(false);
  });
});

describe('signatures checked by the openssl CLI', () => {
  it('verifies an RSASSA-PSS SHA-256 signature with openssl pkeyutl', async () => {
    const { spki, signature } = await trentSign('RSA_2048', 'RSASSA_PSS_SHA_256', message, 'RAW');
    const args = ['dgst', '-sha256', '-verify', 'pub.pem', '-sigopt', 'rsa_padding_mode:pss'];
    const run = openssl([...args, '-sigopt', 'rsa_pss_saltlen:32', '-signature', 'sig', 'msg'], {
      'pub.pem': spkiPem(spki),
      sig: signature,
      msg: message,
    });
    expect(run.stdout).toContain('Verified OK');
  });

  it('verifies an ECDSA P-384 signature with openssl dgst', async () => {
    const { spki, signature } = await trentSign('ECC_NIST_P384', 'ECDSA_SHA_384', message, 'RAW');
    const run = openssl(['dgst', '-sha384', '-verify', 'pub.pem', '-signature', 'sig', 'msg'], {
      'pub.pem': spkiPem(spki),
      sig: signature,
      msg: message,
    });
    expect(run.stdout).toContain('Verified OK');
  });

  it('verifies an SM2DSA signature (SM3, distinguishing ID 1234567812345678) with openssl pkeyutl', async () => {
    for (const type of ['RAW', 'DIGEST'] as const) {
      const { spki } = await signingKey('SM2');
      // For DIGEST the caller computes e = SM3(Z_A || M); here openssl checks the RAW form of the same message.
      const input = type === 'RAW' ? message : await sm2Digest(spki, message);
      const { signature } = await trentSign('SM2', 'SM2DSA', input, type);
      const args = [
        'pkeyutl',
        '-verify',
        '-pubin',
        '-inkey',
        'pub.pem',
        '-rawin',
        '-digest',
        'sm3',
      ];
      const run = openssl(
        [...args, '-pkeyopt', 'distid:1234567812345678', '-in', 'msg', '-sigfile', 'sig'],
        {
          'pub.pem': spkiPem(spki),
          sig: signature,
          msg: message,
        },
      );
      expect(run.stdout).toContain('Signature Verified Successfully');
    }
  });
});

async function sm2Digest(spki: Buffer, msg: Buffer): Promise<Buffer> {
  const { sm2Za, Sm2Point, sm3 } = await import('../../src/crypto/sm2.js');
  const point = Sm2Point.fromBytes(spki.subarray(spki.length - 65));
  return sm3(sm2Za(point), msg);
}
