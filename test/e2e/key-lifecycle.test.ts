import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CancelKeyDeletionCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  ScheduleKeyDeletionCommand,
  UpdateKeyDescriptionCommand,
} from '@aws-sdk/client-kms';
import { FakeClock } from '../fakes/fake-clock.js';
import { startHarness, type Harness } from './harness.js';
import { createTestKey, expectAwsError, keyForms } from './key-fixtures.js';

const DAY_S = 24 * 60 * 60;
const clock = new FakeClock();
let h: Harness;
beforeAll(async () => {
  h = await startHarness({}, clock);
});
afterAll(async () => {
  await h.stop();
});

async function stateOf(keyId: string): Promise<string | undefined> {
  const { KeyMetadata } = await h.kms.send(new DescribeKeyCommand({ KeyId: keyId }));
  return KeyMetadata?.KeyState;
}

describe('UpdateKeyDescription', () => {
  it('replaces the description, by key id and by key ARN', async () => {
    const key = await createTestKey(h.kms, 'first');
    await h.kms.send(new UpdateKeyDescriptionCommand({ KeyId: key.keyId, Description: 'second' }));
    let meta = (await h.kms.send(new DescribeKeyCommand({ KeyId: key.keyId }))).KeyMetadata!;
    expect(meta.Description).toBe('second');
    await h.kms.send(new UpdateKeyDescriptionCommand({ KeyId: key.arn, Description: '' }));
    meta = (await h.kms.send(new DescribeKeyCommand({ KeyId: key.keyId }))).KeyMetadata!;
    expect(meta.Description).toBe('');
  });

  it('refuses alias names and alias ARNs with NotFoundException', async () => {
    const forms = await keyForms(h, await createTestKey(h.kms), 'describe-me');
    for (const ref of [forms.aliasName, forms.aliasArn]) {
      await expectAwsError(
        h.kms.send(new UpdateKeyDescriptionCommand({ KeyId: ref, Description: 'x' })),
        'NotFoundException',
      );
    }
  });

  it('refuses a key pending deletion with KMSInvalidStateException', async () => {
    const key = await createTestKey(h.kms);
    await h.kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.keyId }));
    await expect(
      h.kms.send(new UpdateKeyDescriptionCommand({ KeyId: key.keyId, Description: 'x' })),
    ).rejects.toMatchObject({
      name: 'KMSInvalidStateException',
      message: `${key.arn} is pending deletion.`,
    });
  });

  it('answers NotFoundException for an unknown key and ValidationException for a long description', async () => {
    await expectAwsError(
      h.kms.send(
        new UpdateKeyDescriptionCommand({
          KeyId: '11111111-2222-3333-4444-555555555555',
          Description: 'x',
        }),
      ),
      'NotFoundException',
    );
    const key = await createTestKey(h.kms);
    await expectAwsError(
      h.kms.send(
        new UpdateKeyDescriptionCommand({ KeyId: key.keyId, Description: 'x'.repeat(8193) }),
      ),
      'ValidationException',
    );
  });
});

describe('EnableKey and DisableKey', () => {
  it('disables a key so that every cryptographic use fails with DisabledException', async () => {
    const key = await createTestKey(h.kms);
    const enc = await h.kms.send(
      new EncryptCommand({ KeyId: key.keyId, Plaintext: Buffer.from('before') }),
    );
    await h.kms.send(new DisableKeyCommand({ KeyId: key.arn }));
    expect(await stateOf(key.keyId)).toBe('Disabled');
    const meta = (await h.kms.send(new DescribeKeyCommand({ KeyId: key.keyId }))).KeyMetadata!;
    expect(meta.Enabled).toBe(false);
    await expect(
      h.kms.send(new EncryptCommand({ KeyId: key.keyId, Plaintext: Buffer.from('x') })),
    ).rejects.toMatchObject({ name: 'DisabledException', message: `${key.arn} is disabled.` });
    await expectAwsError(
      h.kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob })),
      'DisabledException',
    );
    await expectAwsError(
      h.kms.send(new GenerateDataKeyCommand({ KeyId: key.keyId, KeySpec: 'AES_256' })),
      'DisabledException',
    );
  });

  it('enables a disabled key again, by key id and by key ARN', async () => {
    const key = await createTestKey(h.kms);
    await h.kms.send(new DisableKeyCommand({ KeyId: key.keyId }));
    await h.kms.send(new EnableKeyCommand({ KeyId: key.arn }));
    expect(await stateOf(key.keyId)).toBe('Enabled');
    await h.kms.send(new DisableKeyCommand({ KeyId: key.arn }));
    await h.kms.send(new EnableKeyCommand({ KeyId: key.keyId }));
    const enc = await h.kms.send(
      new EncryptCommand({ KeyId: key.keyId, Plaintext: Buffer.from('after') }),
    );
    expect(enc.KeyId).toBe(key.arn);
  });

  it('accepts enabling an enabled key and disabling a disabled key', async () => {
    const key = await createTestKey(h.kms);
    await h.kms.send(new EnableKeyCommand({ KeyId: key.keyId }));
    expect(await stateOf(key.keyId)).toBe('Enabled');
    await h.kms.send(new DisableKeyCommand({ KeyId: key.keyId }));
    await h.kms.send(new DisableKeyCommand({ KeyId: key.keyId }));
    expect(await stateOf(key.keyId)).toBe('Disabled');
  });

  it('refuses alias forms with NotFoundException', async () => {
    const forms = await keyForms(h, await createTestKey(h.kms), 'toggle-me');
    for (const ref of [forms.aliasName, forms.aliasArn]) {
      await expectAwsError(h.kms.send(new DisableKeyCommand({ KeyId: ref })), 'NotFoundException');
      await expectAwsError(h.kms.send(new EnableKeyCommand({ KeyId: ref })), 'NotFoundException');
    }
  });

  it('refuses a key pending deletion with KMSInvalidStateException', async () => {
    const key = await createTestKey(h.kms);
    await h.kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.keyId }));
    await expectAwsError(
      h.kms.send(new EnableKeyCommand({ KeyId: key.keyId })),
      'KMSInvalidStateException',
    );
    await expectAwsError(
      h.kms.send(new DisableKeyCommand({ KeyId: key.keyId })),
      'KMSInvalidStateException',
    );
  });

  it('answers InvalidArnException for a malformed ARN', async () => {
    await expectAwsError(
      h.kms.send(new DisableKeyCommand({ KeyId: 'arn:aws:kms:nowhere' })),
      'InvalidArnException',
    );
  });
});

describe('ScheduleKeyDeletion and CancelKeyDeletion', () => {
  it('schedules deletion 30 days out by default and reports it as AWS does', async () => {
    const key = await createTestKey(h.kms);
    const out = await h.kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.keyId }));
    expect(out.KeyId).toBe(key.arn);
    expect(out.KeyState).toBe('PendingDeletion');
    expect(out.PendingWindowInDays).toBe(30);
    expect(out.DeletionDate!.getTime()).toBe(clock.now() + 30 * DAY_S * 1000);
    const meta = (await h.kms.send(new DescribeKeyCommand({ KeyId: key.keyId }))).KeyMetadata!;
    expect(meta.KeyState).toBe('PendingDeletion');
    expect(meta.Enabled).toBe(false);
    expect(meta.DeletionDate!.getTime()).toBe(out.DeletionDate!.getTime());
  });

  it('accepts a window of 7 to 30 days, by key ARN, from a disabled key too', async () => {
    const seven = await createTestKey(h.kms);
    const out = await h.kms.send(
      new ScheduleKeyDeletionCommand({ KeyId: seven.arn, PendingWindowInDays: 7 }),
    );
    expect(out.PendingWindowInDays).toBe(7);
    expect(out.DeletionDate!.getTime()).toBe(clock.now() + 7 * DAY_S * 1000);
    const disabled = await createTestKey(h.kms);
    await h.kms.send(new DisableKeyCommand({ KeyId: disabled.keyId }));
    const thirty = await h.kms.send(
      new ScheduleKeyDeletionCommand({ KeyId: disabled.keyId, PendingWindowInDays: 30 }),
    );
    expect(thirty.KeyState).toBe('PendingDeletion');
  });

  it('rejects a window outside 7 to 30 days with ValidationException in AWS wording', async () => {
    const key = await createTestKey(h.kms);
    await expect(
      h.kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.keyId, PendingWindowInDays: 6 })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message:
        "1 validation error detected: Value '6' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value greater than or equal to 7",
    });
    await expect(
      h.kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.keyId, PendingWindowInDays: 31 })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message:
        "1 validation error detected: Value '31' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value less than or equal to 30",
    });
    expect(await stateOf(key.keyId)).toBe('Enabled');
  });

  it('refuses to schedule a key already pending deletion', async () => {
    const key = await createTestKey(h.kms);
    await h.kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.keyId }));
    await expectAwsError(
      h.kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.keyId })),
      'KMSInvalidStateException',
    );
  });

  it('makes a key pending deletion unusable with KMSInvalidStateException', async () => {
    const key = await createTestKey(h.kms);
    const enc = await h.kms.send(
      new EncryptCommand({ KeyId: key.keyId, Plaintext: Buffer.from('x') }),
    );
    await h.kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.keyId }));
    await expect(
      h.kms.send(new EncryptCommand({ KeyId: key.keyId, Plaintext: Buffer.from('x') })),
    ).rejects.toMatchObject({
      name: 'KMSInvalidStateException',
      message: `${key.arn} is pending deletion.`,
    });
    await expectAwsError(
      h.kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob })),
      'KMSInvalidStateException',
    );
  });

  it('cancels deletion into Disabled, by key id and by key ARN', async () => {
    for (const form of ['keyId', 'arn'] as const) {
      const key = await createTestKey(h.kms);
      await h.kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.keyId }));
      const out = await h.kms.send(new CancelKeyDeletionCommand({ KeyId: key[form] }));
      expect(out.KeyId).toBe(key.arn);
      const meta = (await h.kms.send(new DescribeKeyCommand({ KeyId: key.keyId }))).KeyMetadata!;
      expect(meta.KeyState).toBe('Disabled');
      expect(meta.DeletionDate).toBeUndefined();
    }
  });

  it('refuses to cancel a key that is not pending deletion', async () => {
    const key = await createTestKey(h.kms);
    await expect(
      h.kms.send(new CancelKeyDeletionCommand({ KeyId: key.keyId })),
    ).rejects.toMatchObject({
      name: 'KMSInvalidStateException',
      message: `${key.arn} is not pending deletion.`,
    });
  });

  it('refuses alias forms for both operations with NotFoundException', async () => {
    const forms = await keyForms(h, await createTestKey(h.kms), 'delete-me');
    for (const ref of [forms.aliasName, forms.aliasArn]) {
      await expectAwsError(
        h.kms.send(new ScheduleKeyDeletionCommand({ KeyId: ref })),
        'NotFoundException',
      );
      await expectAwsError(
        h.kms.send(new CancelKeyDeletionCommand({ KeyId: ref })),
        'NotFoundException',
      );
    }
  });
});
