import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  DisableKeyRotationCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GetKeyRotationStatusCommand,
  ListKeyRotationsCommand,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
  CancelKeyDeletionCommand,
  EnableKeyCommand,
} from '@aws-sdk/client-kms';
import { FakeClock } from '../fakes/fake-clock.js';
import { startHarness, type Harness } from './harness.js';
import { createTestKey, expectAwsError, keyForms } from './key-fixtures.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const clock = new FakeClock();
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ onDemandRotationLimit: 3 }, clock);
});
afterAll(async () => {
  await h.stop();
});

async function currentMaterialId(keyId: string): Promise<string> {
  const { KeyMetadata } = await h.kms.send(new DescribeKeyCommand({ KeyId: keyId }));
  return KeyMetadata!.CurrentKeyMaterialId!;
}

describe('EnableKeyRotation, DisableKeyRotation and GetKeyRotationStatus', () => {
  it('reports rotation off for a new key', async () => {
    const key = await createTestKey(h.kms);
    const status = await h.kms.send(new GetKeyRotationStatusCommand({ KeyId: key.keyId }));
    expect(status.KeyRotationEnabled).toBe(false);
    expect(status.KeyId).toBe(key.keyId);
    expect(status.NextRotationDate).toBeUndefined();
  });

  it('enables rotation with the default 365-day period, first rotation one period out', async () => {
    const key = await createTestKey(h.kms);
    await h.kms.send(new EnableKeyRotationCommand({ KeyId: key.keyId }));
    const status = await h.kms.send(new GetKeyRotationStatusCommand({ KeyId: key.arn }));
    expect(status.KeyRotationEnabled).toBe(true);
    expect(status.RotationPeriodInDays).toBe(365);
    expect(status.NextRotationDate!.getTime()).toBe(clock.now() + 365 * DAY_MS);
  });

  it('enables rotation with a custom period and changes it on a second call', async () => {
    const key = await createTestKey(h.kms);
    const enabledAt = clock.now();
    await h.kms.send(new EnableKeyRotationCommand({ KeyId: key.arn, RotationPeriodInDays: 90 }));
    let status = await h.kms.send(new GetKeyRotationStatusCommand({ KeyId: key.keyId }));
    expect(status.RotationPeriodInDays).toBe(90);
    expect(status.NextRotationDate!.getTime()).toBe(enabledAt + 90 * DAY_MS);
    clock.advance(DAY_MS);
    await h.kms.send(new EnableKeyRotationCommand({ KeyId: key.keyId, RotationPeriodInDays: 180 }));
    status = await h.kms.send(new GetKeyRotationStatusCommand({ KeyId: key.keyId }));
    expect(status.RotationPeriodInDays).toBe(180);
    expect(status.NextRotationDate!.getTime()).toBe(enabledAt + 180 * DAY_MS);
  });

  it('rejects a rotation period outside 90 to 2560 days with ValidationException', async () => {
    const key = await createTestKey(h.kms);
    for (const days of [89, 2561]) {
      await expectAwsError(
        h.kms.send(new EnableKeyRotationCommand({ KeyId: key.keyId, RotationPeriodInDays: days })),
        'ValidationException',
      );
    }
  });

  it('disables rotation', async () => {
    const key = await createTestKey(h.kms);
    await h.kms.send(new EnableKeyRotationCommand({ KeyId: key.keyId }));
    await h.kms.send(new DisableKeyRotationCommand({ KeyId: key.arn }));
    const status = await h.kms.send(new GetKeyRotationStatusCommand({ KeyId: key.keyId }));
    expect(status.KeyRotationEnabled).toBe(false);
    expect(status.RotationPeriodInDays).toBeUndefined();
  });

  it('refuses rotation changes on a disabled key with DisabledException', async () => {
    const key = await createTestKey(h.kms);
    await h.kms.send(new DisableKeyCommand({ KeyId: key.keyId }));
    await expect(
      h.kms.send(new EnableKeyRotationCommand({ KeyId: key.keyId })),
    ).rejects.toMatchObject({ name: 'DisabledException', message: `${key.arn} is disabled.` });
    await expectAwsError(
      h.kms.send(new DisableKeyRotationCommand({ KeyId: key.keyId })),
      'DisabledException',
    );
    const status = await h.kms.send(new GetKeyRotationStatusCommand({ KeyId: key.keyId }));
    expect(status.KeyRotationEnabled).toBe(false);
  });

  it('reports false while pending deletion and restores the setting on cancel', async () => {
    const key = await createTestKey(h.kms);
    await h.kms.send(new EnableKeyRotationCommand({ KeyId: key.keyId }));
    await h.kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.keyId }));
    let status = await h.kms.send(new GetKeyRotationStatusCommand({ KeyId: key.keyId }));
    expect(status.KeyRotationEnabled).toBe(false);
    await expectAwsError(
      h.kms.send(new EnableKeyRotationCommand({ KeyId: key.keyId })),
      'KMSInvalidStateException',
    );
    await expectAwsError(
      h.kms.send(new DisableKeyRotationCommand({ KeyId: key.keyId })),
      'KMSInvalidStateException',
    );
    await h.kms.send(new CancelKeyDeletionCommand({ KeyId: key.keyId }));
    status = await h.kms.send(new GetKeyRotationStatusCommand({ KeyId: key.keyId }));
    expect(status.KeyRotationEnabled).toBe(true);
  });

  it('refuses alias forms with NotFoundException', async () => {
    const forms = await keyForms(h, await createTestKey(h.kms), 'rotation-settings');
    for (const ref of [forms.aliasName, forms.aliasArn]) {
      await expectAwsError(
        h.kms.send(new EnableKeyRotationCommand({ KeyId: ref })),
        'NotFoundException',
      );
      await expectAwsError(
        h.kms.send(new DisableKeyRotationCommand({ KeyId: ref })),
        'NotFoundException',
      );
      await expectAwsError(
        h.kms.send(new GetKeyRotationStatusCommand({ KeyId: ref })),
        'NotFoundException',
      );
    }
  });

  it('answers NotFoundException for an unknown key', async () => {
    await expectAwsError(
      h.kms.send(
        new GetKeyRotationStatusCommand({ KeyId: '11111111-2222-3333-4444-555555555555' }),
      ),
      'NotFoundException',
    );
  });
});

describe('RotateKeyOnDemand and ListKeyRotations', () => {
  it('rotates at once: new encryptions use the new material, old ciphertexts still decrypt', async () => {
    const key = await createTestKey(h.kms);
    const original = await currentMaterialId(key.keyId);
    const before = await h.kms.send(
      new EncryptCommand({
        KeyId: key.keyId,
        Plaintext: Buffer.from('old'),
        EncryptionContext: { v: '1' },
      }),
    );
    const out = await h.kms.send(new RotateKeyOnDemandCommand({ KeyId: key.arn }));
    expect(out.KeyId).toBe(key.keyId);
    const rotated = await currentMaterialId(key.keyId);
    expect(rotated).not.toBe(original);
    expect(rotated).toMatch(/^[a-f0-9]{64}$/);

    const old = await h.kms.send(
      new DecryptCommand({ CiphertextBlob: before.CiphertextBlob, EncryptionContext: { v: '1' } }),
    );
    expect(Buffer.from(old.Plaintext!).toString()).toBe('old');
    expect(old.KeyMaterialId).toBe(original);

    const dk = await h.kms.send(
      new GenerateDataKeyCommand({ KeyId: key.keyId, KeySpec: 'AES_128' }),
    );
    expect(dk.KeyMaterialId).toBe(rotated);
    const after = await h.kms.send(new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob }));
    expect(after.KeyMaterialId).toBe(rotated);
    expect(Buffer.from(after.Plaintext!).equals(Buffer.from(dk.Plaintext!))).toBe(true);
  });

  it('does not move the automatic schedule', async () => {
    const key = await createTestKey(h.kms);
    await h.kms.send(new EnableKeyRotationCommand({ KeyId: key.keyId }));
    const before = await h.kms.send(new GetKeyRotationStatusCommand({ KeyId: key.keyId }));
    await h.kms.send(new RotateKeyOnDemandCommand({ KeyId: key.keyId }));
    const after = await h.kms.send(new GetKeyRotationStatusCommand({ KeyId: key.keyId }));
    expect(after.NextRotationDate!.getTime()).toBe(before.NextRotationDate!.getTime());
    expect(after.KeyRotationEnabled).toBe(true);
  });

  it('caps on-demand rotations per key with LimitExceededException', async () => {
    const key = await createTestKey(h.kms);
    for (let i = 0; i < 3; i++)
      await h.kms.send(new RotateKeyOnDemandCommand({ KeyId: key.keyId }));
    const current = await currentMaterialId(key.keyId);
    await expectAwsError(
      h.kms.send(new RotateKeyOnDemandCommand({ KeyId: key.keyId })),
      'LimitExceededException',
    );
    expect(await currentMaterialId(key.keyId)).toBe(current);
    const other = await createTestKey(h.kms);
    await h.kms.send(new RotateKeyOnDemandCommand({ KeyId: other.keyId }));
  });

  it('refuses a disabled key with DisabledException and a key pending deletion with KMSInvalidStateException', async () => {
    const disabled = await createTestKey(h.kms);
    await h.kms.send(new DisableKeyCommand({ KeyId: disabled.keyId }));
    await expectAwsError(
      h.kms.send(new RotateKeyOnDemandCommand({ KeyId: disabled.keyId })),
      'DisabledException',
    );
    const pending = await createTestKey(h.kms);
    await h.kms.send(new ScheduleKeyDeletionCommand({ KeyId: pending.keyId }));
    await expectAwsError(
      h.kms.send(new RotateKeyOnDemandCommand({ KeyId: pending.keyId })),
      'KMSInvalidStateException',
    );
  });

  it('refuses while an automatic rotation is due within 20 minutes with ConflictException', async () => {
    const key = await createTestKey(h.kms);
    await h.kms.send(new EnableKeyRotationCommand({ KeyId: key.keyId, RotationPeriodInDays: 90 }));
    clock.advance(90 * DAY_MS - 10 * 60 * 1000);
    await expectAwsError(
      h.kms.send(new RotateKeyOnDemandCommand({ KeyId: key.keyId })),
      'ConflictException',
    );
  });

  it('lists rotations oldest first with material states, rotation dates and types', async () => {
    const key = await createTestKey(h.kms);
    const original = await currentMaterialId(key.keyId);
    let list = await h.kms.send(new ListKeyRotationsCommand({ KeyId: key.keyId }));
    expect(list.Rotations).toEqual([]);
    expect(list.Truncated).toBe(false);

    clock.advance(1000);
    const firstAt = clock.now();
    await h.kms.send(new RotateKeyOnDemandCommand({ KeyId: key.keyId }));
    const first = await currentMaterialId(key.keyId);
    clock.advance(1000);
    await h.kms.send(new RotateKeyOnDemandCommand({ KeyId: key.keyId }));
    const second = await currentMaterialId(key.keyId);

    list = await h.kms.send(new ListKeyRotationsCommand({ KeyId: key.arn }));
    expect(list.Rotations).toEqual([
      {
        KeyId: key.keyId,
        KeyMaterialId: first,
        KeyMaterialState: 'NON_CURRENT',
        RotationDate: new Date(firstAt),
        RotationType: 'ON_DEMAND',
      },
      {
        KeyId: key.keyId,
        KeyMaterialId: second,
        KeyMaterialState: 'CURRENT',
        RotationDate: new Date(firstAt + 1000),
        RotationType: 'ON_DEMAND',
      },
    ]);

    const all = await h.kms.send(
      new ListKeyRotationsCommand({ KeyId: key.keyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' }),
    );
    expect(all.Rotations?.map((r) => r.KeyMaterialId)).toEqual([original, first, second]);
    expect(all.Rotations?.[0]).toEqual({
      KeyId: key.keyId,
      KeyMaterialId: original,
      KeyMaterialState: 'NON_CURRENT',
    });
  });

  it('pages through rotations with Limit and Marker', async () => {
    const key = await createTestKey(h.kms);
    for (let i = 0; i < 3; i++)
      await h.kms.send(new RotateKeyOnDemandCommand({ KeyId: key.keyId }));
    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const out = await h.kms.send(
        new ListKeyRotationsCommand({
          KeyId: key.keyId,
          IncludeKeyMaterial: 'ALL_KEY_MATERIAL',
          Limit: 1,
          ...(marker ? { Marker: marker } : {}),
        }),
      );
      pages++;
      seen.push(...(out.Rotations ?? []).map((r) => r.KeyMaterialId!));
      expect(out.Truncated).toBe(out.NextMarker !== undefined);
      marker = out.NextMarker;
    } while (marker !== undefined);
    expect(pages).toBe(4);
    expect(new Set(seen).size).toBe(4);
    await expectAwsError(
      h.kms.send(new ListKeyRotationsCommand({ KeyId: key.keyId, Marker: 'not-a-marker' })),
      'InvalidMarkerException',
    );
  });

  it('lists rotations of a disabled key and of a key pending deletion', async () => {
    const key = await createTestKey(h.kms);
    await h.kms.send(new RotateKeyOnDemandCommand({ KeyId: key.keyId }));
    await h.kms.send(new DisableKeyCommand({ KeyId: key.keyId }));
    let list = await h.kms.send(new ListKeyRotationsCommand({ KeyId: key.keyId }));
    expect(list.Rotations).toHaveLength(1);
    await h.kms.send(new EnableKeyCommand({ KeyId: key.keyId }));
    await h.kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.keyId }));
    list = await h.kms.send(new ListKeyRotationsCommand({ KeyId: key.keyId }));
    expect(list.Rotations).toHaveLength(1);
  });

  it('refuses alias forms with NotFoundException', async () => {
    const forms = await keyForms(h, await createTestKey(h.kms), 'rotate-now');
    for (const ref of [forms.aliasName, forms.aliasArn]) {
      await expectAwsError(
        h.kms.send(new RotateKeyOnDemandCommand({ KeyId: ref })),
        'NotFoundException',
      );
      await expectAwsError(
        h.kms.send(new ListKeyRotationsCommand({ KeyId: ref })),
        'NotFoundException',
      );
    }
  });
});
