import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateKeyCommand,
  GetPublicKeyCommand,
  SignCommand,
  VerifyCommand,
} from '@aws-sdk/client-kms';
import { ed25519ph } from '@noble/curves/ed25519.js';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { startHarness, type Harness } from './harness.js';
import { setKeyState } from './key-state-helpers.js';
import { message, signer } from './signing-support.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
});
const { signingKey, trentSign } = signer(() => h);

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

  it('verifies a signature made over a DIGEST when Verify is given the RAW message, and vice versa', async () => {
    const digest = createHash('sha256').update(message).digest();
    const { keyId, signature } = await trentSign(
      'ECC_NIST_P256',
      'ECDSA_SHA_256',
      digest,
      'DIGEST',
    );
    const raw = {
      KeyId: keyId,
      Message: message,
      Signature: signature,
      SigningAlgorithm: 'ECDSA_SHA_256' as const,
    };
    expect((await h.kms.send(new VerifyCommand(raw))).SignatureValid).toBe(true);
    const fromRaw = await trentSign('ECC_NIST_P256', 'ECDSA_SHA_256', message, 'RAW');
    const asDigest = {
      ...raw,
      Message: digest,
      MessageType: 'DIGEST' as const,
      Signature: fromRaw.signature,
    };
    expect((await h.kms.send(new VerifyCommand(asDigest))).SignatureValid).toBe(true);
  });

  it('answers a DryRun that would succeed with DryRunOperationException, and a failing one with its real error', async () => {
    const { keyId } = await signingKey('ECC_NIST_P256');
    const request = {
      KeyId: keyId,
      Message: message,
      SigningAlgorithm: 'ECDSA_SHA_256' as const,
      DryRun: true,
    };
    await expect(h.kms.send(new SignCommand(request))).rejects.toMatchObject({
      name: 'DryRunOperationException',
    });
    await expect(
      h.kms.send(new SignCommand({ ...request, MessageType: 'DIGEST', Message: Buffer.alloc(31) })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });
});
