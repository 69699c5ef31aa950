import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DecryptCommand,
  EncryptCommand,
  GenerateDataKeyWithoutPlaintextCommand,
} from '@aws-sdk/client-kms';
import { INVALID_CIPHERTEXT_MESSAGE } from '../../src/errors.js';
import { startHarness, type Harness } from './harness.js';
import { createTestKey, expectAwsError, keyForms } from './key-fixtures.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
});

const CONTEXT = { purpose: 'tamper-test' };

async function sealedBlob(keyId: string): Promise<Uint8Array> {
  const out = await h.kms.send(
    new EncryptCommand({
      KeyId: keyId,
      Plaintext: Buffer.from('tamper me'),
      EncryptionContext: CONTEXT,
    }),
  );
  return out.CiphertextBlob!;
}

async function decryptFailure(
  blob: Uint8Array,
  context: Record<string, string> = CONTEXT,
): Promise<unknown> {
  try {
    await h.kms.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: context }));
    return undefined;
  } catch (err) {
    return err;
  }
}

describe('ciphertext tampering', () => {
  it('rejects every single flipped byte with the one InvalidCiphertextException', async () => {
    const key = await createTestKey(h.kms);
    const blob = await sealedBlob(key.keyId);
    for (let i = 0; i < blob.length; i++) {
      for (const mask of [0x01, 0x80]) {
        const tampered = Buffer.from(blob);
        tampered[i]! ^= mask;
        const err = await decryptFailure(tampered);
        expect(err, `byte ${String(i)} mask ${String(mask)}`).toMatchObject({
          name: 'InvalidCiphertextException',
          message: INVALID_CIPHERTEXT_MESSAGE,
        });
      }
    }
    const intact = await h.kms.send(
      new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: CONTEXT }),
    );
    expect(Buffer.from(intact.Plaintext!).toString()).toBe('tamper me');
  });

  it('rejects a wrong, missing or extra encryption context', async () => {
    const key = await createTestKey(h.kms);
    const blob = await sealedBlob(key.keyId);
    for (const context of [
      { purpose: 'other' },
      { Purpose: 'tamper-test' },
      {},
      { ...CONTEXT, extra: '1' },
    ]) {
      expect(await decryptFailure(blob, context)).toMatchObject({
        name: 'InvalidCiphertextException',
        message: INVALID_CIPHERTEXT_MESSAGE,
      });
    }
  });

  it('rejects every truncation of a blob', async () => {
    const key = await createTestKey(h.kms);
    const blob = await sealedBlob(key.keyId);
    for (let length = 1; length < blob.length; length++) {
      expect(await decryptFailure(blob.subarray(0, length))).toMatchObject({
        name: 'InvalidCiphertextException',
      });
    }
  });

  it('rejects a blob with bytes appended', async () => {
    const key = await createTestKey(h.kms);
    const blob = await sealedBlob(key.keyId);
    expect(await decryptFailure(Buffer.concat([blob, Buffer.from([0])]))).toMatchObject({
      name: 'InvalidCiphertextException',
    });
  });

  it('answers IncorrectKeyException when KeyId names another key, in every form', async () => {
    const owner = await createTestKey(h.kms);
    const other = await keyForms(h, await createTestKey(h.kms), 'tamper-other');
    const { CiphertextBlob } = await h.kms.send(
      new GenerateDataKeyWithoutPlaintextCommand({ KeyId: owner.keyId, NumberOfBytes: 32 }),
    );
    for (const form of ['keyId', 'arn', 'aliasName', 'aliasArn'] as const) {
      await expectAwsError(
        h.kms.send(new DecryptCommand({ CiphertextBlob, KeyId: other[form] })),
        'IncorrectKeyException',
      );
    }
    const ok = await h.kms.send(new DecryptCommand({ CiphertextBlob, KeyId: owner.arn }));
    expect(ok.Plaintext).toHaveLength(32);
  });

  it('rejects a blob whose header is moved onto another key', async () => {
    const first = await createTestKey(h.kms);
    const second = await createTestKey(h.kms);
    const blob = Buffer.from(await sealedBlob(first.keyId));
    const otherHeader = Buffer.from(await sealedBlob(second.keyId)).subarray(0, 33);
    otherHeader.copy(blob, 0);
    expect(await decryptFailure(blob)).toMatchObject({ name: 'InvalidCiphertextException' });
  });
});
