import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DecryptCommand,
  DisableKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GetKeyLastUsageCommand,
  ReEncryptCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { auditEventId } from '../../src/audit/audit-event.js';
import { FakeClock } from '../fakes/fake-clock.js';
import { startHarness, type Harness } from './harness.js';
import { createTestKey, expectAwsError, keyForms } from './key-fixtures.js';

const clock = new FakeClock();
let h: Harness;
beforeAll(async () => {
  h = await startHarness({}, clock);
});
afterAll(async () => {
  await h.stop();
});

describe('GetKeyLastUsage', () => {
  it('reports no usage for a new key, tracking from its creation', async () => {
    const createdAt = clock.now();
    const key = await createTestKey(h.kms);
    const out = await h.kms.send(new GetKeyLastUsageCommand({ KeyId: key.keyId }));
    expect(out.KeyId).toBe(key.keyId);
    expect(out.KeyLastUsage ?? {}).toEqual({});
    expect(out.KeyCreationDate!.getTime()).toBe(createdAt);
    expect(out.TrackingStartDate!.getTime()).toBe(createdAt);
  });

  it('reports the last successful cryptographic operation with its time and request id', async () => {
    const key = await createTestKey(h.kms);
    clock.advance(5000);
    await h.kms.send(new EncryptCommand({ KeyId: key.keyId, Plaintext: Buffer.from('x') }));
    clock.advance(5000);
    const usedAt = clock.now();
    const dk = await h.kms.send(new GenerateDataKeyCommand({ KeyId: key.arn, KeySpec: 'AES_256' }));
    const requestId = dk.$metadata.requestId;
    const out = await h.kms.send(new GetKeyLastUsageCommand({ KeyId: key.arn }));
    expect(out.KeyLastUsage).toEqual({
      Operation: 'GenerateDataKey',
      Timestamp: new Date(usedAt),
      CloudTrailEventId: auditEventId(requestId!),
      KmsRequestId: requestId,
    });
  });

  it('records ReEncrypt on both keys and ignores failed uses', async () => {
    const source = await createTestKey(h.kms);
    const destination = await createTestKey(h.kms);
    const enc = await h.kms.send(
      new EncryptCommand({ KeyId: source.keyId, Plaintext: Buffer.from('x') }),
    );
    clock.advance(1000);
    await h.kms.send(
      new ReEncryptCommand({
        CiphertextBlob: enc.CiphertextBlob,
        DestinationKeyId: destination.keyId,
      }),
    );
    for (const key of [source, destination]) {
      const out = await h.kms.send(new GetKeyLastUsageCommand({ KeyId: key.keyId }));
      expect(out.KeyLastUsage?.Operation).toBe('ReEncrypt');
    }
    clock.advance(1000);
    await expectAwsError(
      h.kms.send(
        new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { a: 'b' } }),
      ),
      'InvalidCiphertextException',
    );
    const out = await h.kms.send(new GetKeyLastUsageCommand({ KeyId: source.keyId }));
    expect(out.KeyLastUsage?.Operation).toBe('ReEncrypt');
  });

  it('answers in every key state', async () => {
    const disabled = await createTestKey(h.kms);
    await h.kms.send(new DisableKeyCommand({ KeyId: disabled.keyId }));
    const pending = await createTestKey(h.kms);
    await h.kms.send(new ScheduleKeyDeletionCommand({ KeyId: pending.keyId }));
    for (const key of [disabled, pending]) {
      const out = await h.kms.send(new GetKeyLastUsageCommand({ KeyId: key.keyId }));
      expect(out.KeyId).toBe(key.keyId);
    }
  });

  it('refuses alias forms and unknown keys with NotFoundException', async () => {
    const forms = await keyForms(h, await createTestKey(h.kms), 'last-usage');
    for (const ref of [forms.aliasName, forms.aliasArn, '11111111-2222-3333-4444-555555555555']) {
      await expectAwsError(
        h.kms.send(new GetKeyLastUsageCommand({ KeyId: ref })),
        'NotFoundException',
      );
    }
  });
});
