import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EncryptCommand,
  ReEncryptCommand,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { rawRequest, startHarness, type Harness } from './harness.js';
import { createTestKey, expectAwsError, keyForms, type CreatedKey } from './key-fixtures.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
});

async function encryptUnder(key: CreatedKey, text: string, context?: Record<string, string>) {
  const out = await h.kms.send(
    new EncryptCommand({
      KeyId: key.keyId,
      Plaintext: Buffer.from(text),
      ...(context ? { EncryptionContext: context } : {}),
    }),
  );
  return out.CiphertextBlob!;
}

async function materialOf(key: CreatedKey): Promise<string> {
  const { KeyMetadata } = await h.kms.send(new DescribeKeyCommand({ KeyId: key.keyId }));
  return KeyMetadata!.CurrentKeyMaterialId!;
}

describe('ReEncrypt', () => {
  it('moves a ciphertext to another key and another context without exposing the plaintext', async () => {
    const source = await createTestKey(h.kms);
    const destination = await createTestKey(h.kms);
    const blob = await encryptUnder(source, 'moving', { from: 'a' });
    const out = await h.kms.send(
      new ReEncryptCommand({
        CiphertextBlob: blob,
        SourceEncryptionContext: { from: 'a' },
        DestinationKeyId: destination.keyId,
        DestinationEncryptionContext: { to: 'b' },
      }),
    );
    expect(out.SourceKeyId).toBe(source.arn);
    expect(out.KeyId).toBe(destination.arn);
    expect(out.SourceEncryptionAlgorithm).toBe('SYMMETRIC_DEFAULT');
    expect(out.DestinationEncryptionAlgorithm).toBe('SYMMETRIC_DEFAULT');
    expect(out.SourceKeyMaterialId).toBe(await materialOf(source));
    expect(out.DestinationKeyMaterialId).toBe(await materialOf(destination));
    expect(Object.keys(out)).not.toContain('Plaintext');
    const dec = await h.kms.send(
      new DecryptCommand({ CiphertextBlob: out.CiphertextBlob, EncryptionContext: { to: 'b' } }),
    );
    expect(Buffer.from(dec.Plaintext!).toString()).toBe('moving');
    expect(dec.KeyId).toBe(destination.arn);
  });

  it('re-encrypts under the same key onto its current material after a rotation', async () => {
    const key = await createTestKey(h.kms);
    const oldMaterial = await materialOf(key);
    const blob = await encryptUnder(key, 'refresh');
    await h.kms.send(new RotateKeyOnDemandCommand({ KeyId: key.keyId }));
    const out = await h.kms.send(
      new ReEncryptCommand({ CiphertextBlob: blob, DestinationKeyId: key.keyId }),
    );
    expect(out.SourceKeyMaterialId).toBe(oldMaterial);
    expect(out.DestinationKeyMaterialId).toBe(await materialOf(key));
    expect(out.DestinationKeyMaterialId).not.toBe(oldMaterial);
  });

  it('accepts every identifier form for SourceKeyId and DestinationKeyId', async () => {
    const source = await keyForms(h, await createTestKey(h.kms), 're-source');
    const destination = await keyForms(h, await createTestKey(h.kms), 're-destination');
    const blob = await encryptUnder({ keyId: source.keyId, arn: source.arn }, 'forms');
    for (const form of ['keyId', 'arn', 'aliasName', 'aliasArn'] as const) {
      const out = await h.kms.send(
        new ReEncryptCommand({
          CiphertextBlob: blob,
          SourceKeyId: source[form],
          DestinationKeyId: destination[form],
        }),
      );
      expect(out.KeyId).toBe(destination.arn);
    }
  });

  it('rejects a SourceKeyId naming another key with IncorrectKeyException', async () => {
    const source = await createTestKey(h.kms);
    const other = await createTestKey(h.kms);
    const blob = await encryptUnder(source, 'x');
    await expectAwsError(
      h.kms.send(
        new ReEncryptCommand({
          CiphertextBlob: blob,
          SourceKeyId: other.keyId,
          DestinationKeyId: other.keyId,
        }),
      ),
      'IncorrectKeyException',
    );
  });

  it('rejects a wrong source context or a tampered blob with InvalidCiphertextException', async () => {
    const key = await createTestKey(h.kms);
    const blob = await encryptUnder(key, 'x', { a: '1' });
    await expectAwsError(
      h.kms.send(
        new ReEncryptCommand({
          CiphertextBlob: blob,
          SourceEncryptionContext: { a: '2' },
          DestinationKeyId: key.keyId,
        }),
      ),
      'InvalidCiphertextException',
    );
    const tampered = Buffer.from(blob);
    tampered[tampered.length - 1]! ^= 0x01;
    await expectAwsError(
      h.kms.send(
        new ReEncryptCommand({
          CiphertextBlob: tampered,
          SourceEncryptionContext: { a: '1' },
          DestinationKeyId: key.keyId,
        }),
      ),
      'InvalidCiphertextException',
    );
  });

  it('refuses a disabled source or destination with DisabledException', async () => {
    const source = await createTestKey(h.kms);
    const destination = await createTestKey(h.kms);
    const blob = await encryptUnder(source, 'x');
    await h.kms.send(new DisableKeyCommand({ KeyId: destination.keyId }));
    await expectAwsError(
      h.kms.send(
        new ReEncryptCommand({ CiphertextBlob: blob, DestinationKeyId: destination.keyId }),
      ),
      'DisabledException',
    );
    const fresh = await createTestKey(h.kms);
    await h.kms.send(new DisableKeyCommand({ KeyId: source.keyId }));
    await expectAwsError(
      h.kms.send(new ReEncryptCommand({ CiphertextBlob: blob, DestinationKeyId: fresh.keyId })),
      'DisabledException',
    );
  });

  it('refuses a destination pending deletion with KMSInvalidStateException', async () => {
    const source = await createTestKey(h.kms);
    const destination = await createTestKey(h.kms);
    const blob = await encryptUnder(source, 'x');
    await h.kms.send(new ScheduleKeyDeletionCommand({ KeyId: destination.keyId }));
    await expectAwsError(
      h.kms.send(
        new ReEncryptCommand({ CiphertextBlob: blob, DestinationKeyId: destination.keyId }),
      ),
      'KMSInvalidStateException',
    );
  });

  it('answers NotFoundException for an unknown destination', async () => {
    const source = await createTestKey(h.kms);
    const blob = await encryptUnder(source, 'x');
    await expectAwsError(
      h.kms.send(
        new ReEncryptCommand({ CiphertextBlob: blob, DestinationKeyId: 'alias/does-not-exist' }),
      ),
      'NotFoundException',
    );
  });

  it('fails a DryRun that would succeed with DryRunOperationException', async () => {
    const key = await createTestKey(h.kms);
    const blob = await encryptUnder(key, 'x');
    await expectAwsError(
      h.kms.send(
        new ReEncryptCommand({ CiphertextBlob: blob, DestinationKeyId: key.keyId, DryRun: true }),
      ),
      'DryRunOperationException',
    );
    await expectAwsError(
      h.kms.send(
        new ReEncryptCommand({
          SourceKeyId: key.keyId,
          DestinationKeyId: key.keyId,
          DryRun: true,
          DryRunModifiers: ['IGNORE_CIPHERTEXT'],
        }),
      ),
      'DryRunOperationException',
    );
  });

  it('requires a CiphertextBlob, and a SourceKeyId when the ciphertext is ignored', async () => {
    const key = await createTestKey(h.kms);
    let res = await rawRequest(
      h.url,
      'TrentService.ReEncrypt',
      JSON.stringify({ DestinationKeyId: key.keyId }),
    );
    expect(res.json.__type).toBe('ValidationException');
    res = await rawRequest(
      h.url,
      'TrentService.ReEncrypt',
      JSON.stringify({
        DestinationKeyId: key.keyId,
        DryRun: true,
        DryRunModifiers: ['IGNORE_CIPHERTEXT'],
      }),
    );
    expect(res.json.__type).toBe('ValidationException');
  });
});
