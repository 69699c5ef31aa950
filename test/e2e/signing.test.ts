import { createHash, createPublicKey, constants, verify as nodeVerify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateKeyCommand,
  GetPublicKeyCommand,
  SignCommand,
  VerifyCommand,
  type KeySpec,
  type MessageType,
  type SigningAlgorithmSpec,
} from '@aws-sdk/client-kms';
import { ed25519ph } from '@noble/curves/ed25519.js';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { openssl, spkiPem } from '../support/openssl.js';
import { startHarness, type Harness } from './harness.js';
import { setKeyState } from './key-state-helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
});

const message = Buffer.from('Trent signs this message for an independent verifier.');
const keys = new Map<string, { keyId: string; spki: Buffer }>();

async function signingKey(spec: KeySpec): Promise<{ keyId: string; spki: Buffer }> {
  const known = keys.get(spec);
  if (known) return known;
  const created = await h.kms.send(
    new CreateKeyCommand({ KeySpec: spec, KeyUsage: 'SIGN_VERIFY' }),
  );
  const keyId = created.KeyMetadata!.KeyId!;
  const pub = await h.kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
  const entry = { keyId, spki: Buffer.from(pub.PublicKey!) };
  keys.set(spec, entry);
  return entry;
}

async function trentSign(
  spec: KeySpec,
  algorithm: SigningAlgorithmSpec,
  msg: Buffer,
  type: MessageType,
) {
  const { keyId, spki } = await signingKey(spec);
  const out = await h.kms.send(
    new SignCommand({ KeyId: keyId, Message: msg, MessageType: type, SigningAlgorithm: algorithm }),
  );
  expect(out.SigningAlgorithm).toBe(algorithm);
  const signature = Buffer.from(out.Signature!);
  const verified = await h.kms.send(
    new VerifyCommand({
      KeyId: keyId,
      Message: msg,
      MessageType: type,
      SigningAlgorithm: algorithm,
      Signature: signature,
    }),
  );
  expect(verified.SignatureValid).toBe(true);
  return { keyId, spki, signature };
}

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

describe('Ed25519 signatures', () => {
  it('ED25519_SHA_512 over a RAW message verifies with node:crypto', async () => {
    const { spki, signature } = await trentSign(
      'ECC_NIST_EDWARDS25519',
      'ED25519_SHA_512',
      message,
      'RAW',
    );
    const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    expect(nodeVerify(null, message, key, signature)).toBe(true);
  });

  it('ED25519_PH_SHA_512 over a DIGEST is Ed25519ph of the digest (hashed once more by KMS)', async () => {
    const digest = createHash('sha512').update(message).digest();
    const { spki, signature } = await trentSign(
      'ECC_NIST_EDWARDS25519',
      'ED25519_PH_SHA_512',
      digest,
      'DIGEST',
    );
    const raw = spki.subarray(spki.length - 32);
    expect(ed25519ph.verify(signature, digest, raw)).toBe(true);
    expect(ed25519ph.verify(signature, message, raw)).toBe(false);
  });

  it('rejects ED25519_SHA_512 with DIGEST and ED25519_PH_SHA_512 with RAW as ValidationException', async () => {
    const { keyId } = await signingKey('ECC_NIST_EDWARDS25519');
    const digest = createHash('sha512').update(message).digest();
    await expect(
      h.kms.send(
        new SignCommand({
          KeyId: keyId,
          Message: digest,
          MessageType: 'DIGEST',
          SigningAlgorithm: 'ED25519_SHA_512',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(
      h.kms.send(
        new SignCommand({ KeyId: keyId, Message: message, SigningAlgorithm: 'ED25519_PH_SHA_512' }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });
});

describe('ML-DSA signatures verify with @noble/post-quantum', () => {
  const levels = [
    ['ML_DSA_44', ml_dsa44],
    ['ML_DSA_65', ml_dsa65],
    ['ML_DSA_87', ml_dsa87],
  ] as const;
  for (const [spec, dsa] of levels) {
    it(`${spec} RAW and EXTERNAL_MU`, async () => {
      const { spki, signature } = await trentSign(spec, 'ML_DSA_SHAKE_256', message, 'RAW');
      const pk = spki.subarray(spki.length - dsa.lengths.publicKey!);
      expect(dsa.verify(signature, message, pk)).toBe(true);
      // μ = SHAKE256(SHAKE256(pk, 64) || 0 || 0 || M, 64) (FIPS 204 Algorithm 2 with an empty context).
      const tr = createHash('shake256', { outputLength: 64 }).update(pk).digest();
      const mu = createHash('shake256', { outputLength: 64 })
        .update(Buffer.concat([tr, Buffer.from([0, 0]), message]))
        .digest();
      const fromMu = await trentSign(spec, 'ML_DSA_SHAKE_256', mu, 'EXTERNAL_MU');
      expect(dsa.verify(fromMu.signature, message, pk)).toBe(true);
    });
  }

  it('rejects DIGEST for ML-DSA and an EXTERNAL_MU that is not 64 bytes as ValidationException', async () => {
    const { keyId } = await signingKey('ML_DSA_44');
    await expect(
      h.kms.send(
        new SignCommand({
          KeyId: keyId,
          Message: Buffer.alloc(64),
          MessageType: 'DIGEST',
          SigningAlgorithm: 'ML_DSA_SHAKE_256',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(
      h.kms.send(
        new SignCommand({
          KeyId: keyId,
          Message: Buffer.alloc(32),
          MessageType: 'EXTERNAL_MU',
          SigningAlgorithm: 'ML_DSA_SHAKE_256',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });
});

describe('Sign and Verify refusals', () => {
  it('rejects an algorithm the key does not offer with InvalidKeyUsageException', async () => {
    const { keyId } = await signingKey('ECC_NIST_P256');
    await expect(
      h.kms.send(
        new SignCommand({ KeyId: keyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_384' }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidKeyUsageException' });
  });

  it('rejects Sign with an ENCRYPT_DECRYPT key with InvalidKeyUsageException', async () => {
    const created = await h.kms.send(new CreateKeyCommand({}));
    await expect(
      h.kms.send(
        new SignCommand({
          KeyId: created.KeyMetadata!.KeyId,
          Message: message,
          SigningAlgorithm: 'ECDSA_SHA_256',
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidKeyUsageException' });
  });

  it('rejects a DIGEST of the wrong length with ValidationException', async () => {
    const { keyId } = await signingKey('ECC_NIST_P256');
    await expect(
      h.kms.send(
        new SignCommand({
          KeyId: keyId,
          Message: Buffer.alloc(48),
          MessageType: 'DIGEST',
          SigningAlgorithm: 'ECDSA_SHA_256',
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Digest is invalid length for algorithm ECDSA_SHA_256.',
    });
  });

  it('answers a tampered signature with KMSInvalidSignatureException, never SignatureValid false', async () => {
    for (const [spec, algorithm] of [
      ['ECC_NIST_P256', 'ECDSA_SHA_256'],
      ['RSA_2048', 'RSASSA_PSS_SHA_256'],
      ['ECC_NIST_EDWARDS25519', 'ED25519_SHA_512'],
      ['ML_DSA_44', 'ML_DSA_SHAKE_256'],
    ] as const) {
      const { keyId, signature } = await trentSign(spec, algorithm, message, 'RAW');
      signature[signature.length - 5] = (signature[signature.length - 5] ?? 0) ^ 0x01;
      await expect(
        h.kms.send(
          new VerifyCommand({
            KeyId: keyId,
            Message: message,
            Signature: signature,
            SigningAlgorithm: algorithm,
          }),
        ),
      ).rejects.toMatchObject({ name: 'KMSInvalidSignatureException' });
    }
  });

  it('rejects Sign on a disabled key (DisabledException) and a key pending deletion (KMSInvalidStateException)', async () => {
    const created = await h.kms.send(
      new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
    );
    const keyId = created.KeyMetadata!.KeyId!;
    const request = { KeyId: keyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' as const };
    await setKeyState(h, keyId, 'Disabled');
    await expect(h.kms.send(new SignCommand(request))).rejects.toMatchObject({
      name: 'DisabledException',
    });
    await expect(h.kms.send(new GetPublicKeyCommand({ KeyId: keyId }))).rejects.toMatchObject({
      name: 'DisabledException',
    });
    await setKeyState(h, keyId, 'PendingDeletion');
    await expect(h.kms.send(new SignCommand(request))).rejects.toMatchObject({
      name: 'KMSInvalidStateException',
    });
  });
});
