import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CancelKeyDeletionCommand,
  CreateKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EnableKeyRotationCommand,
  GenerateMacCommand,
  GetKeyRotationStatusCommand,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
  SignCommand,
  type KeySpec,
  type KeyUsageType,
} from '@aws-sdk/client-kms';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
});

async function create(spec: KeySpec, usage: KeyUsageType): Promise<string> {
  const created = await h.kms.send(new CreateKeyCommand({ KeySpec: spec, KeyUsage: usage }));
  return created.KeyMetadata!.KeyId!;
}

describe('life cycle of non-symmetric keys', () => {
  const cannotRotate: [KeySpec, KeyUsageType][] = [
    ['ECC_NIST_P256', 'SIGN_VERIFY'],
    ['HMAC_256', 'GENERATE_VERIFY_MAC'],
    ['ML_DSA_44', 'SIGN_VERIFY'],
    ['ML_KEM_512', 'ENCAPSULATE_DECAPSULATE'],
    ['SM2', 'ENCRYPT_DECRYPT'],
  ];
  for (const [spec, usage] of cannotRotate) {
    it(`${spec}: automatic and on-demand rotation are UnsupportedOperationException`, async () => {
      const keyId = await create(spec, usage);
      for (const command of [
        new EnableKeyRotationCommand({ KeyId: keyId }),
        new RotateKeyOnDemandCommand({ KeyId: keyId }),
        new GetKeyRotationStatusCommand({ KeyId: keyId }),
      ]) {
        await expect(h.kms.send(command as never)).rejects.toMatchObject({
          name: 'UnsupportedOperationException',
        });
      }
    });
  }

  it('DisableKey and ScheduleKeyDeletion stop Sign and GenerateMac; EnableKey restores them', async () => {
    const signing = await create('ECC_SECG_P256K1', 'SIGN_VERIFY');
    const mac = await create('HMAC_384', 'GENERATE_VERIFY_MAC');
    const sign = () =>
      h.kms.send(
        new SignCommand({
          KeyId: signing,
          Message: Buffer.from('m'),
          SigningAlgorithm: 'ECDSA_SHA_256',
        }),
      );
    const generate = () =>
      h.kms.send(
        new GenerateMacCommand({
          KeyId: mac,
          Message: Buffer.from('m'),
          MacAlgorithm: 'HMAC_SHA_384',
        }),
      );
    for (const keyId of [signing, mac]) await h.kms.send(new DisableKeyCommand({ KeyId: keyId }));
    await expect(sign()).rejects.toMatchObject({ name: 'DisabledException' });
    await expect(generate()).rejects.toMatchObject({ name: 'DisabledException' });
    for (const keyId of [signing, mac]) await h.kms.send(new EnableKeyCommand({ KeyId: keyId }));
    expect((await sign()).Signature).toBeDefined();
    expect((await generate()).Mac).toHaveLength(48);
    for (const keyId of [signing, mac]) {
      await h.kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    }
    await expect(sign()).rejects.toMatchObject({ name: 'KMSInvalidStateException' });
    await expect(generate()).rejects.toMatchObject({ name: 'KMSInvalidStateException' });
    await h.kms.send(new CancelKeyDeletionCommand({ KeyId: signing }));
    await expect(sign()).rejects.toMatchObject({ name: 'DisabledException' });
  });
});
