/* eslint-disable @typescript-eslint/no-deprecated -- CreateKey must keep accepting the deprecated CustomerMasterKeySpec, which these tests exercise */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  GenerateDataKeyPairCommand,
  GenerateDataKeyPairWithoutPlaintextCommand,
  GetPublicKeyCommand,
  type DataKeyPairSpec,
  type KeySpec,
  type KeyUsageType,
} from '@aws-sdk/client-kms';
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import { startHarness, type Harness } from './harness.js';
import { setKeyState } from './key-state-helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
});

const RSA_SIGN = [
  'RSASSA_PSS_SHA_256',
  'RSASSA_PSS_SHA_384',
  'RSASSA_PSS_SHA_512',
  'RSASSA_PKCS1_V1_5_SHA_256',
  'RSASSA_PKCS1_V1_5_SHA_384',
  'RSASSA_PKCS1_V1_5_SHA_512',
];

// [spec, usage, metadata field, algorithms, has CustomerMasterKeySpec]
const valid: [KeySpec, KeyUsageType, string, string[], boolean][] = [
  [
    'RSA_2048',
    'ENCRYPT_DECRYPT',
    'EncryptionAlgorithms',
    ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'],
    true,
  ],
  ['RSA_2048', 'SIGN_VERIFY', 'SigningAlgorithms', RSA_SIGN, true],
  ['ECC_NIST_P256', 'SIGN_VERIFY', 'SigningAlgorithms', ['ECDSA_SHA_256'], true],
  ['ECC_NIST_P384', 'SIGN_VERIFY', 'SigningAlgorithms', ['ECDSA_SHA_384'], true],
  ['ECC_NIST_P521', 'SIGN_VERIFY', 'SigningAlgorithms', ['ECDSA_SHA_512'], true],
  ['ECC_NIST_P256', 'KEY_AGREEMENT', 'KeyAgreementAlgorithms', ['ECDH'], true],
  ['ECC_SECG_P256K1', 'SIGN_VERIFY', 'SigningAlgorithms', ['ECDSA_SHA_256'], true],
  [
    'ECC_NIST_EDWARDS25519',
    'SIGN_VERIFY',
    'SigningAlgorithms',
    ['ED25519_SHA_512', 'ED25519_PH_SHA_512'],
    false,
  ],
  ['SM2', 'SIGN_VERIFY', 'SigningAlgorithms', ['SM2DSA'], true],
  ['SM2', 'ENCRYPT_DECRYPT', 'EncryptionAlgorithms', ['SM2PKE'], true],
  ['SM2', 'KEY_AGREEMENT', 'KeyAgreementAlgorithms', ['ECDH'], true],
  ['HMAC_224', 'GENERATE_VERIFY_MAC', 'MacAlgorithms', ['HMAC_SHA_224'], true],
  ['HMAC_512', 'GENERATE_VERIFY_MAC', 'MacAlgorithms', ['HMAC_SHA_512'], true],
  ['ML_DSA_65', 'SIGN_VERIFY', 'SigningAlgorithms', ['ML_DSA_SHAKE_256'], false],
  ['ML_KEM_1024', 'ENCAPSULATE_DECAPSULATE', 'EncapsulationAlgorithms', ['ML_KEM'], false],
];
const ALGORITHM_FIELDS = [
  'EncryptionAlgorithms',
  'SigningAlgorithms',
  'MacAlgorithms',
  'KeyAgreementAlgorithms',
  'EncapsulationAlgorithms',
];

describe('CreateKey for every key spec', () => {
  for (const [spec, usage, field, algorithms, inCmkSpec] of valid) {
    it(`${spec} ${usage}: KeyMetadata lists exactly the spec's algorithms`, async () => {
      const created = await h.kms.send(new CreateKeyCommand({ KeySpec: spec, KeyUsage: usage }));
      const described = await h.kms.send(
        new DescribeKeyCommand({ KeyId: created.KeyMetadata!.KeyId }),
      );
      for (const meta of [created.KeyMetadata!, described.KeyMetadata!]) {
        const record = meta as unknown as Record<string, unknown>;
        expect(meta.KeySpec).toBe(spec);
        expect(meta.KeyUsage).toBe(usage);
        expect(meta.KeyState).toBe('Enabled');
        expect(record[field]).toEqual(algorithms);
        for (const other of ALGORITHM_FIELDS.filter((f) => f !== field))
          expect(record[other]).toBeUndefined();
        expect(meta.CustomerMasterKeySpec).toBe(inCmkSpec ? spec : undefined);
        expect(meta.CurrentKeyMaterialId).toBeUndefined();
      }
    });
  }

  const invalid: [KeySpec, KeyUsageType | undefined][] = [
    ['ECC_NIST_P256', 'ENCRYPT_DECRYPT'],
    ['ECC_NIST_P256', undefined],
    ['ECC_SECG_P256K1', 'KEY_AGREEMENT'],
    ['ECC_NIST_EDWARDS25519', 'KEY_AGREEMENT'],
    ['RSA_2048', 'KEY_AGREEMENT'],
    ['HMAC_256', 'SIGN_VERIFY'],
    ['HMAC_256', undefined],
    ['ML_DSA_44', 'ENCRYPT_DECRYPT'],
    ['ML_KEM_512', 'SIGN_VERIFY'],
    ['SYMMETRIC_DEFAULT', 'SIGN_VERIFY'],
  ];
  for (const [spec, usage] of invalid) {
    it(`rejects ${spec} with ${usage ?? 'the default usage'} as ValidationException`, async () => {
      await expect(
        h.kms.send(new CreateKeyCommand({ KeySpec: spec, ...(usage ? { KeyUsage: usage } : {}) })),
      ).rejects.toMatchObject({ name: 'ValidationException' });
    });
  }

  it('accepts the deprecated CustomerMasterKeySpec and refuses it together with KeySpec', async () => {
    const created = await h.kms.send(
      new CreateKeyCommand({ CustomerMasterKeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
    );
    expect(created.KeyMetadata!.KeySpec).toBe('ECC_NIST_P256');
    expect(created.KeyMetadata!.CustomerMasterKeySpec).toBe('ECC_NIST_P256');
    await expect(
      h.kms.send(
        new CreateKeyCommand({
          KeySpec: 'ECC_NIST_P256',
          CustomerMasterKeySpec: 'ECC_NIST_P256',
          KeyUsage: 'SIGN_VERIFY',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('creates an RSA key with the documented default usage ENCRYPT_DECRYPT when KeyUsage is absent', async () => {
    const created = await h.kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048' }));
    expect(created.KeyMetadata!.KeyUsage).toBe('ENCRYPT_DECRYPT');
  });

  it('refuses GetPublicKey for a symmetric key with UnsupportedOperationException', async () => {
    const created = await h.kms.send(new CreateKeyCommand({}));
    await expect(
      h.kms.send(new GetPublicKeyCommand({ KeyId: created.KeyMetadata!.KeyId })),
    ).rejects.toMatchObject({
      name: 'UnsupportedOperationException',
    });
  });
});

describe('GenerateDataKeyPair', () => {
  const pairSpecs: DataKeyPairSpec[] = [
    'RSA_2048',
    'ECC_NIST_P256',
    'ECC_NIST_P384',
    'ECC_NIST_P521',
    'ECC_SECG_P256K1',
    'ECC_NIST_EDWARDS25519',
    'SM2',
  ];
  let symmetricKeyId = '';
  beforeAll(async () => {
    const created = await h.kms.send(new CreateKeyCommand({}));
    symmetricKeyId = created.KeyMetadata!.KeyId!;
  });

  for (const spec of pairSpecs) {
    it(`${spec}: the PKCS#8 private key matches the SPKI public key and its sealed copy decrypts to it`, async () => {
      const context = { purpose: 'data-key-pair' };
      const out = await h.kms.send(
        new GenerateDataKeyPairCommand({
          KeyId: symmetricKeyId,
          KeyPairSpec: spec,
          EncryptionContext: context,
        }),
      );
      expect(out.KeyPairSpec).toBe(spec);
      const privateDer = Buffer.from(out.PrivateKeyPlaintext!);
      const derived = createPublicKey(
        createPrivateKey({ key: privateDer, format: 'der', type: 'pkcs8' }),
      );
      expect(
        derived.export({ format: 'der', type: 'spki' }).equals(Buffer.from(out.PublicKey!)),
      ).toBe(true);
      const opened = await h.kms.send(
        new DecryptCommand({
          CiphertextBlob: out.PrivateKeyCiphertextBlob,
          EncryptionContext: context,
        }),
      );
      expect(Buffer.from(opened.Plaintext!).equals(privateDer)).toBe(true);
      await expect(
        h.kms.send(new DecryptCommand({ CiphertextBlob: out.PrivateKeyCiphertextBlob })),
      ).rejects.toMatchObject({
        name: 'InvalidCiphertextException',
      });
    });
  }

  it('ML_KEM_768: the seed-form PKCS#8 private key regenerates the SPKI public key', async () => {
    const out = await h.kms.send(
      new GenerateDataKeyPairCommand({ KeyId: symmetricKeyId, KeyPairSpec: 'ML_KEM_768' }),
    );
    const privateDer = Buffer.from(out.PrivateKeyPlaintext!);
    const seed = privateDer.subarray(privateDer.length - 64);
    const spki = Buffer.from(out.PublicKey!);
    expect(
      Buffer.from(ml_kem768.keygen(seed).publicKey).equals(spki.subarray(spki.length - 1184)),
    ).toBe(true);
  });

  it('WithoutPlaintext returns only the sealed private key, which decrypts to a key matching the public key', async () => {
    const out = await h.kms.send(
      new GenerateDataKeyPairWithoutPlaintextCommand({
        KeyId: symmetricKeyId,
        KeyPairSpec: 'ECC_NIST_P256',
      }),
    );
    expect((out as unknown as Record<string, unknown>).PrivateKeyPlaintext).toBeUndefined();
    const opened = await h.kms.send(
      new DecryptCommand({ CiphertextBlob: out.PrivateKeyCiphertextBlob }),
    );
    const derived = createPublicKey(
      createPrivateKey({ key: Buffer.from(opened.Plaintext!), format: 'der', type: 'pkcs8' }),
    );
    expect(
      derived.export({ format: 'der', type: 'spki' }).equals(Buffer.from(out.PublicKey!)),
    ).toBe(true);
  });

  it('refuses an asymmetric KMS key (InvalidKeyUsageException) and a disabled one (DisabledException)', async () => {
    const rsa = await h.kms.send(
      new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
    );
    await expect(
      h.kms.send(
        new GenerateDataKeyPairCommand({
          KeyId: rsa.KeyMetadata!.KeyId,
          KeyPairSpec: 'ECC_NIST_P256',
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidKeyUsageException' });
    const created = await h.kms.send(new CreateKeyCommand({}));
    await setKeyState(h, created.KeyMetadata!.KeyId!, 'Disabled');
    await expect(
      h.kms.send(
        new GenerateDataKeyPairCommand({
          KeyId: created.KeyMetadata!.KeyId,
          KeyPairSpec: 'ECC_NIST_P256',
        }),
      ),
    ).rejects.toMatchObject({ name: 'DisabledException' });
  });
});
