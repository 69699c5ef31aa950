import { constants, createPublicKey, publicEncrypt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateKeyCommand,
  DecryptCommand,
  EncryptCommand,
  GetPublicKeyCommand,
  ReEncryptCommand,
  type CreateKeyCommandInput,
} from '@aws-sdk/client-kms';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
let rsa = '';
let sm2 = '';
let symmetric = '';
beforeAll(async () => {
  h = await startHarness();
  const create = async (input: CreateKeyCommandInput) =>
    (await h.kms.send(new CreateKeyCommand(input))).KeyMetadata!.KeyId!;
  rsa = await create({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' });
  sm2 = await create({ KeySpec: 'SM2', KeyUsage: 'ENCRYPT_DECRYPT' });
  symmetric = await create({});
});
afterAll(async () => {
  await h.stop();
});

describe('ReEncrypt with RSA and SM2 keys', () => {
  it('moves offline RSA ciphertext to a symmetric key, which then decrypts it with its context', async () => {
    const pub = await h.kms.send(new GetPublicKeyCommand({ KeyId: rsa }));
    const key = createPublicKey({ key: Buffer.from(pub.PublicKey!), format: 'der', type: 'spki' });
    const plaintext = Buffer.from('offline secret');
    const ciphertext = publicEncrypt(
      { key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
      plaintext,
    );
    const moved = await h.kms.send(
      new ReEncryptCommand({
        CiphertextBlob: ciphertext,
        SourceKeyId: rsa,
        SourceEncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
        DestinationKeyId: symmetric,
        DestinationEncryptionContext: { app: 'x' },
      }),
    );
    expect(moved.SourceKeyMaterialId).toBeUndefined();
    expect(moved.DestinationKeyMaterialId).toMatch(/^[0-9a-f]{64}$/);
    const dec = await h.kms.send(
      new DecryptCommand({ CiphertextBlob: moved.CiphertextBlob, EncryptionContext: { app: 'x' } }),
    );
    expect(Buffer.from(dec.Plaintext!).equals(plaintext)).toBe(true);
  });

  it('moves a symmetric blob to SM2 and SM2 ciphertext to RSA', async () => {
    const enc = await h.kms.send(
      new EncryptCommand({
        KeyId: symmetric,
        Plaintext: Buffer.from('hop'),
        EncryptionContext: { a: 'b' },
      }),
    );
    const toSm2 = await h.kms.send(
      new ReEncryptCommand({
        CiphertextBlob: enc.CiphertextBlob,
        SourceEncryptionContext: { a: 'b' },
        DestinationKeyId: sm2,
        DestinationEncryptionAlgorithm: 'SM2PKE',
      }),
    );
    expect(toSm2.DestinationKeyMaterialId).toBeUndefined();
    const toRsa = await h.kms.send(
      new ReEncryptCommand({
        CiphertextBlob: toSm2.CiphertextBlob,
        SourceKeyId: sm2,
        SourceEncryptionAlgorithm: 'SM2PKE',
        DestinationKeyId: rsa,
        DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_1',
      }),
    );
    const dec = await h.kms.send(
      new DecryptCommand({
        CiphertextBlob: toRsa.CiphertextBlob,
        KeyId: rsa,
        EncryptionAlgorithm: 'RSAES_OAEP_SHA_1',
      }),
    );
    expect(Buffer.from(dec.Plaintext!).toString()).toBe('hop');
  });

  it('refuses a context for an asymmetric destination (ValidationException) and a missing source algorithm (InvalidKeyUsageException)', async () => {
    const enc = await h.kms.send(
      new EncryptCommand({ KeyId: symmetric, Plaintext: Buffer.from('x') }),
    );
    await expect(
      h.kms.send(
        new ReEncryptCommand({
          CiphertextBlob: enc.CiphertextBlob,
          DestinationKeyId: rsa,
          DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
          DestinationEncryptionContext: { a: 'b' },
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    const rsaCiphertext = await h.kms.send(
      new EncryptCommand({
        KeyId: rsa,
        Plaintext: Buffer.from('x'),
        EncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
      }),
    );
    await expect(
      h.kms.send(
        new ReEncryptCommand({
          CiphertextBlob: rsaCiphertext.CiphertextBlob,
          SourceKeyId: rsa,
          DestinationKeyId: symmetric,
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidKeyUsageException' });
  });

  it('answers RSA ciphertext without SourceKeyId with InvalidCiphertextException', async () => {
    const rsaCiphertext = await h.kms.send(
      new EncryptCommand({
        KeyId: rsa,
        Plaintext: Buffer.from('x'),
        EncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
      }),
    );
    await expect(
      h.kms.send(
        new ReEncryptCommand({
          CiphertextBlob: rsaCiphertext.CiphertextBlob,
          DestinationKeyId: symmetric,
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidCiphertextException' });
  });
});
