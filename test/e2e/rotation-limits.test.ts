import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DescribeKeyCommand,
  DisableKeyRotationCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GetKeyRotationStatusCommand,
  ListKeyRotationsCommand,
  ReEncryptCommand,
  RotateKeyOnDemandCommand,
} from '@aws-sdk/client-kms';
import { startHarness, type Harness } from './harness.js';
import { createTestKey, expectAwsError } from './key-fixtures.js';
import { keyRow } from '../fakes/key-row.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ onDemandRotationLimit: 3 });
});
afterAll(async () => {
  await h.stop();
});

/** Stores an HMAC key row directly: CreateKey may not offer the spec yet, the rotation rules still apply. */
async function createHmacKey(): Promise<string> {
  const { keyring, config } = h.trent.services;
  const keyId = randomUUID();
  const now = Date.now();
  const material = keyring.newMaterial(keyId, now, null, Buffer.alloc(32, 1));
  await keyring.createKey(
    keyRow(keyId, {
      accountId: config.accountId,
      region: config.region,
      createdAt: now,
      keySpec: 'HMAC_256',
      keyUsage: 'GENERATE_VERIFY_MAC',
      currentVersion: material.version,
    }),
    material,
    [],
  );
  return keyId;
}

describe('keys that cannot rotate', () => {
  it('answer UnsupportedOperationException to every rotation operation', async () => {
    const keyId = await createHmacKey();
    const attempts = [
      h.kms.send(new EnableKeyRotationCommand({ KeyId: keyId })),
      h.kms.send(new DisableKeyRotationCommand({ KeyId: keyId })),
      h.kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId })),
      h.kms.send(new RotateKeyOnDemandCommand({ KeyId: keyId })),
      h.kms.send(new ListKeyRotationsCommand({ KeyId: keyId })),
    ];
    for (const attempt of attempts) await expectAwsError(attempt, 'UnsupportedOperationException');
  });

  it('cannot be a ReEncrypt destination (InvalidKeyUsageException)', async () => {
    const source = await createTestKey(h.kms);
    const { CiphertextBlob } = await h.kms.send(
      new EncryptCommand({ KeyId: source.keyId, Plaintext: Buffer.from('x') }),
    );
    await expectAwsError(
      h.kms.send(new ReEncryptCommand({ CiphertextBlob, DestinationKeyId: await createHmacKey() })),
      'InvalidKeyUsageException',
    );
  });
});

describe('the on-demand rotation cap under concurrency', () => {
  it('lets exactly onDemandRotationLimit of many simultaneous rotations through', async () => {
    const key = await createTestKey(h.kms);
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () =>
        h.kms.send(new RotateKeyOnDemandCommand({ KeyId: key.keyId })),
      ),
    );
    const fulfilled = results.filter((r) => r.status === 'fulfilled');
    const rejected = results.filter((r) => r.status === 'rejected');
    expect(fulfilled).toHaveLength(3);
    for (const r of rejected) expect(r.reason).toMatchObject({ name: 'LimitExceededException' });
    const list = await h.kms.send(new ListKeyRotationsCommand({ KeyId: key.keyId }));
    expect(list.Rotations).toHaveLength(3);
    const meta = (await h.kms.send(new DescribeKeyCommand({ KeyId: key.keyId }))).KeyMetadata!;
    expect(list.Rotations?.[2]?.KeyMaterialId).toBe(meta.CurrentKeyMaterialId);
  });
});
