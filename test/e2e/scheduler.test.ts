import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  CancelKeyDeletionCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  DisableKeyRotationCommand,
  EnableKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GetKeyRotationStatusCommand,
  ListKeyRotationsCommand,
  ListKeysCommand,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { FakeClock } from '../fakes/fake-clock.js';
import { startHarness, type Harness } from './harness.js';
import { createTestKey, expectAwsError, putTestAlias } from './key-fixtures.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const clock = new FakeClock();
let h: Harness;
beforeAll(async () => {
  h = await startHarness({}, clock);
});
afterAll(async () => {
  await h.stop();
});

async function currentMaterialId(keyId: string): Promise<string> {
  const { KeyMetadata } = await h.kms.send(new DescribeKeyCommand({ KeyId: keyId }));
  return KeyMetadata!.CurrentKeyMaterialId!;
}

describe('automatic rotation', () => {
  it('rotates a key when its rotation date passes, and schedules the next one', async () => {
    const key = await createTestKey(h.kms);
    const original = await currentMaterialId(key.keyId);
    const before = await h.kms.send(
      new EncryptCommand({ KeyId: key.keyId, Plaintext: Buffer.from('before rotation') }),
    );
    await h.kms.send(new EnableKeyRotationCommand({ KeyId: key.keyId, RotationPeriodInDays: 90 }));

    clock.advance(90 * DAY_MS - 1);
    expect((await h.trent.scheduler.runDue()).rotated).not.toContain(key.keyId);
    expect(await currentMaterialId(key.keyId)).toBe(original);

    clock.advance(1);
    const rotatedAt = clock.now();
    expect((await h.trent.scheduler.runDue()).rotated).toContain(key.keyId);
    const rotated = await currentMaterialId(key.keyId);
    expect(rotated).not.toBe(original);

    const status = await h.kms.send(new GetKeyRotationStatusCommand({ KeyId: key.keyId }));
    expect(status.NextRotationDate!.getTime()).toBe(rotatedAt + 90 * DAY_MS);
    const list = await h.kms.send(new ListKeyRotationsCommand({ KeyId: key.keyId }));
    expect(list.Rotations).toEqual([
      {
        KeyId: key.keyId,
        KeyMaterialId: rotated,
        KeyMaterialState: 'CURRENT',
        RotationDate: new Date(rotatedAt),
        RotationType: 'AUTOMATIC',
      },
    ]);

    const old = await h.kms.send(new DecryptCommand({ CiphertextBlob: before.CiphertextBlob }));
    expect(Buffer.from(old.Plaintext!).toString()).toBe('before rotation');
    expect(old.KeyMaterialId).toBe(original);
    const fresh = await h.kms.send(
      new EncryptCommand({ KeyId: key.keyId, Plaintext: Buffer.from('after rotation') }),
    );
    const opened = await h.kms.send(new DecryptCommand({ CiphertextBlob: fresh.CiphertextBlob }));
    expect(opened.KeyMaterialId).toBe(rotated);
  });

  it('keeps the automatic schedule after on-demand rotations', async () => {
    const key = await createTestKey(h.kms);
    await h.kms.send(new EnableKeyRotationCommand({ KeyId: key.keyId, RotationPeriodInDays: 90 }));
    clock.advance(DAY_MS);
    await h.kms.send(new RotateKeyOnDemandCommand({ KeyId: key.keyId }));
    clock.advance(89 * DAY_MS);
    await h.trent.scheduler.runDue();
    const list = await h.kms.send(new ListKeyRotationsCommand({ KeyId: key.keyId }));
    expect(list.Rotations?.map((r) => r.RotationType)).toEqual(['ON_DEMAND', 'AUTOMATIC']);
  });

  it('does not rotate a disabled key, and rotates it at the next run once re-enabled', async () => {
    const key = await createTestKey(h.kms);
    const original = await currentMaterialId(key.keyId);
    await h.kms.send(new EnableKeyRotationCommand({ KeyId: key.keyId, RotationPeriodInDays: 90 }));
    await h.kms.send(new DisableKeyCommand({ KeyId: key.keyId }));
    clock.advance(100 * DAY_MS);
    expect((await h.trent.scheduler.runDue()).rotated).not.toContain(key.keyId);
    expect(await currentMaterialId(key.keyId)).toBe(original);
    await h.kms.send(new EnableKeyCommand({ KeyId: key.keyId }));
    expect((await h.trent.scheduler.runDue()).rotated).toContain(key.keyId);
    expect(await currentMaterialId(key.keyId)).not.toBe(original);
  });

  it('does not rotate a key pending deletion', async () => {
    const key = await createTestKey(h.kms);
    const original = await currentMaterialId(key.keyId);
    await h.kms.send(new EnableKeyRotationCommand({ KeyId: key.keyId, RotationPeriodInDays: 90 }));
    clock.advance(85 * DAY_MS);
    await h.kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.keyId, PendingWindowInDays: 30 }));
    clock.advance(10 * DAY_MS);
    expect((await h.trent.scheduler.runDue()).rotated).not.toContain(key.keyId);
    expect(await currentMaterialId(key.keyId)).toBe(original);
  });

  it('does not rotate a key whose rotation was disabled', async () => {
    const key = await createTestKey(h.kms);
    await h.kms.send(new EnableKeyRotationCommand({ KeyId: key.keyId, RotationPeriodInDays: 90 }));
    await h.kms.send(new DisableKeyRotationCommand({ KeyId: key.keyId }));
    clock.advance(91 * DAY_MS);
    expect((await h.trent.scheduler.runDue()).rotated).not.toContain(key.keyId);
  });
});

describe('deletion when the window passes', () => {
  it('destroys the key, its material, aliases and tags for good', async () => {
    const key = await createTestKey(h.kms);
    const alias = await putTestAlias(h, key.keyId, 'doomed');
    await h.trent.services.keyring.putTags(key.keyId, [{ tagKey: 'team', tagValue: 'x' }]);
    const enc = await h.kms.send(
      new EncryptCommand({ KeyId: key.keyId, Plaintext: Buffer.from('gone soon') }),
    );
    await h.kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.keyId, PendingWindowInDays: 7 }));

    clock.advance(7 * DAY_MS - 1);
    expect((await h.trent.scheduler.runDue()).deleted).not.toContain(key.keyId);
    const meta = (await h.kms.send(new DescribeKeyCommand({ KeyId: key.keyId }))).KeyMetadata!;
    expect(meta.KeyState).toBe('PendingDeletion');

    clock.advance(1);
    expect((await h.trent.scheduler.runDue()).deleted).toContain(key.keyId);
    await expect(h.kms.send(new DescribeKeyCommand({ KeyId: key.keyId }))).rejects.toMatchObject({
      name: 'NotFoundException',
      message: `Key '${key.arn}' does not exist`,
    });
    await expectAwsError(
      h.kms.send(new DescribeKeyCommand({ KeyId: alias.aliasName })),
      'NotFoundException',
    );
    await expectAwsError(
      h.kms.send(new CancelKeyDeletionCommand({ KeyId: key.keyId })),
      'NotFoundException',
    );
    await expectAwsError(
      h.kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob })),
      'InvalidCiphertextException',
    );
    const keyring = h.trent.services.keyring;
    expect(keyring.get(key.keyId)).toBeUndefined();
    const { config } = h.trent.services;
    expect(keyring.alias(config.accountId, config.region, alias.aliasName)).toBeUndefined();
    const listed = await h.kms.send(new ListKeysCommand({ Limit: 1000 }));
    expect(listed.Keys?.map((k) => k.KeyId)).not.toContain(key.keyId);
  });

  it('leaves a key whose deletion was cancelled', async () => {
    const key = await createTestKey(h.kms);
    await h.kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.keyId, PendingWindowInDays: 7 }));
    clock.advance(DAY_MS);
    await h.kms.send(new CancelKeyDeletionCommand({ KeyId: key.keyId }));
    clock.advance(30 * DAY_MS);
    expect((await h.trent.scheduler.runDue()).deleted).not.toContain(key.keyId);
    const meta = (await h.kms.send(new DescribeKeyCommand({ KeyId: key.keyId }))).KeyMetadata!;
    expect(meta.KeyState).toBe('Disabled');
  });
});

describe('the scheduler timer', () => {
  it('runs on its own every schedulerIntervalMs', async () => {
    const ownClock = new FakeClock();
    const timed = await startHarness({ schedulerIntervalMs: 20 }, ownClock);
    try {
      const key = await createTestKey(timed.kms);
      await timed.kms.send(
        new ScheduleKeyDeletionCommand({ KeyId: key.keyId, PendingWindowInDays: 7 }),
      );
      ownClock.advance(8 * DAY_MS);
      await vi.waitFor(
        () => {
          expect(timed.trent.services.keyring.get(key.keyId)).toBeUndefined();
        },
        { timeout: 10_000, interval: 20 },
      );
    } finally {
      await timed.stop();
    }
  });
});

describe('durability across a restart', () => {
  it('keeps rotated material, the schedule and a pending deletion', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'trent-lifecycle-'));
    const ownClock = new FakeClock();
    try {
      const first = await startHarness({ dev: false, dataDir }, ownClock);
      const key = await createTestKey(first.kms);
      const before = await first.kms.send(
        new EncryptCommand({ KeyId: key.keyId, Plaintext: Buffer.from('durable') }),
      );
      await first.kms.send(new EnableKeyRotationCommand({ KeyId: key.keyId }));
      ownClock.advance(1000);
      await first.kms.send(new RotateKeyOnDemandCommand({ KeyId: key.keyId }));
      const doomed = await createTestKey(first.kms);
      const doomedAlias = await putTestAlias(first, doomed.keyId, 'doomed-after-restart');
      await first.kms.send(new ScheduleKeyDeletionCommand({ KeyId: doomed.keyId }));
      const rotated = (await first.kms.send(new DescribeKeyCommand({ KeyId: key.keyId })))
        .KeyMetadata!.CurrentKeyMaterialId;
      await first.stop();

      const second = await startHarness({ dev: false, dataDir }, ownClock);
      try {
        const meta = (await second.kms.send(new DescribeKeyCommand({ KeyId: key.keyId })))
          .KeyMetadata!;
        expect(meta.CurrentKeyMaterialId).toBe(rotated);
        const status = await second.kms.send(new GetKeyRotationStatusCommand({ KeyId: key.keyId }));
        expect(status.KeyRotationEnabled).toBe(true);
        const old = await second.kms.send(
          new DecryptCommand({ CiphertextBlob: before.CiphertextBlob }),
        );
        expect(Buffer.from(old.Plaintext!).toString()).toBe('durable');
        const pending = (await second.kms.send(new DescribeKeyCommand({ KeyId: doomed.keyId })))
          .KeyMetadata!;
        expect(pending.KeyState).toBe('PendingDeletion');
        const viaAlias = await second.kms.send(
          new DescribeKeyCommand({ KeyId: doomedAlias.aliasName }),
        );
        expect(viaAlias.KeyMetadata!.KeyId).toBe(doomed.keyId);
        ownClock.advance(31 * DAY_MS);
        expect((await second.trent.scheduler.runDue()).deleted).toContain(doomed.keyId);
      } finally {
        await second.stop();
      }
      const third = await startHarness({ dev: false, dataDir }, ownClock);
      try {
        await expectAwsError(
          third.kms.send(new DescribeKeyCommand({ KeyId: doomed.keyId })),
          'NotFoundException',
        );
        await expectAwsError(
          third.kms.send(new DescribeKeyCommand({ KeyId: doomedAlias.aliasName })),
          'NotFoundException',
        );
        const { config } = third.trent.services;
        expect(
          third.trent.services.keyring.alias(
            config.accountId,
            config.region,
            doomedAlias.aliasName,
          ),
        ).toBeUndefined();
      } finally {
        await third.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
