import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
} from '@aws-sdk/client-kms';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
});

describe('symmetric envelope encryption over the wire', () => {
  it('creates a key, encrypts and decrypts without a KeyId', async () => {
    const created = await h.kms.send(new CreateKeyCommand({ Description: 'e2e' }));
    const meta = created.KeyMetadata!;
    expect(meta.KeySpec).toBe('SYMMETRIC_DEFAULT');
    expect(meta.KeyState).toBe('Enabled');
    expect(meta.Arn).toBe(`arn:aws:kms:us-east-1:111122223333:key/${meta.KeyId!}`);
    const plaintext = Buffer.from('hello, trent');
    const enc = await h.kms.send(
      new EncryptCommand({
        KeyId: meta.KeyId,
        Plaintext: plaintext,
        EncryptionContext: { tenant: 't1' },
      }),
    );
    expect(enc.KeyId).toBe(meta.Arn);
    const dec = await h.kms.send(
      new DecryptCommand({
        CiphertextBlob: enc.CiphertextBlob,
        EncryptionContext: { tenant: 't1' },
      }),
    );
    expect(Buffer.from(dec.Plaintext!).toString()).toBe('hello, trent');
    expect(dec.KeyId).toBe(meta.Arn);
  });

  it('rejects Decrypt with the wrong encryption context as InvalidCiphertextException', async () => {
    const { KeyMetadata } = await h.kms.send(new CreateKeyCommand({}));
    const enc = await h.kms.send(
      new EncryptCommand({
        KeyId: KeyMetadata!.KeyId,
        Plaintext: Buffer.from('x'),
        EncryptionContext: { a: '1' },
      }),
    );
    await expect(
      h.kms.send(
        new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { a: '2' } }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidCiphertextException' });
  });

  it('generates a data key whose sealed copy decrypts to the same bytes', async () => {
    const { KeyMetadata } = await h.kms.send(new CreateKeyCommand({}));
    const dk = await h.kms.send(
      new GenerateDataKeyCommand({ KeyId: KeyMetadata!.KeyId, KeySpec: 'AES_256' }),
    );
    expect(dk.Plaintext).toHaveLength(32);
    const dec = await h.kms.send(new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob }));
    expect(Buffer.from(dec.Plaintext!).equals(Buffer.from(dk.Plaintext!))).toBe(true);
  });

  it('answers NotFoundException in AWS form for an unknown key', async () => {
    await expect(
      h.kms.send(new DescribeKeyCommand({ KeyId: '00000000-0000-0000-0000-000000000000' })),
    ).rejects.toMatchObject({
      name: 'NotFoundException',
      message:
        "Key 'arn:aws:kms:us-east-1:111122223333:key/00000000-0000-0000-0000-000000000000' does not exist",
    });
  });
});
