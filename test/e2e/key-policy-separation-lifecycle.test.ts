// Key policies over real sockets with real SigV4 signatures: a key administrator named only for the
// administrative actions runs a key through its whole lifecycle but can never use it; a key user named
// only for cryptographic actions uses the key but can change none of its state.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CancelKeyDeletionCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  ListKeyRotationsCommand,
  PutKeyPolicyCommand,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { startAuthHarness, type AuthHarness } from './harness.js';

const A = '111122223333';
const ADMIN = `arn:aws:iam::${A}:user/key-admin`;
const USER = `arn:aws:iam::${A}:user/key-user`;
const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const administrators = {
  Sid: 'Key administrators',
  Effect: 'Allow',
  Principal: { AWS: ADMIN },
  Action: [
    'kms:Create*',
    'kms:Describe*',
    'kms:Enable*',
    'kms:List*',
    'kms:Put*',
    'kms:Update*',
    'kms:Revoke*',
    'kms:Disable*',
    'kms:Get*',
    'kms:Delete*',
    'kms:TagResource',
    'kms:UntagResource',
    'kms:ScheduleKeyDeletion',
    'kms:CancelKeyDeletion',
    'kms:RotateKeyOnDemand',
  ],
  Resource: '*',
};
const users = (...Action: string[]) => ({
  Sid: 'Key users',
  Effect: 'Allow',
  Principal: { AWS: USER },
  Action,
  Resource: '*',
});
const policy = doc(
  administrators,
  users('kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'),
);

let h: AuthHarness;
let keyAdmin: KMSClient;
let keyUser: KMSClient;

async function principal(name: string, identityPolicy?: string): Promise<KMSClient> {
  const row = await h.trent.credentials.createPrincipal(A, 'user', name);
  if (identityPolicy) await h.trent.credentials.attachPolicy(row.arn, 'kms', identityPolicy);
  const key = await h.trent.credentials.createAccessKey(row.arn);
  return h.client({ accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey });
}

async function failure(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await p;
  } catch (err) {
    return err as { name: string; message: string };
  }
  throw new Error('expected the request to fail');
}

function deniedByKeyPolicy(caller: string, action: string, keyArn: string): string {
  return `User: ${caller} is not authorized to perform: ${action} on resource: ${keyArn} because no resource-based policy allows the ${action} action`;
}

async function newKey(): Promise<string> {
  const created = await keyAdmin.send(new CreateKeyCommand({ Policy: policy }));
  return created.KeyMetadata!.Arn!;
}

async function stateOf(client: KMSClient, keyArn: string) {
  const { KeyMetadata } = await client.send(new DescribeKeyCommand({ KeyId: keyArn }));
  return KeyMetadata!;
}

beforeAll(async () => {
  h = await startAuthHarness();
  // Only the administrator may create keys (an identity-policy question); on the key itself the key
  // policy alone decides, so the administrator's kms:* identity policy gives it nothing more there.
  keyAdmin = await principal('key-admin', doc({ Effect: 'Allow', Action: 'kms:*', Resource: '*' }));
  keyUser = await principal('key-user');
});
afterAll(async () => {
  await h.stop();
});

describe('a key administrator named only for administrative actions', () => {
  let keyArn: string;
  beforeAll(async () => {
    keyArn = await newKey();
  });

  it('describes, disables and re-enables the key', async () => {
    expect((await stateOf(keyAdmin, keyArn)).KeyState).toBe('Enabled');
    await keyAdmin.send(new DisableKeyCommand({ KeyId: keyArn }));
    const disabled = await stateOf(keyAdmin, keyArn);
    expect([disabled.KeyState, disabled.Enabled]).toEqual(['Disabled', false]);
    await keyAdmin.send(new EnableKeyCommand({ KeyId: keyArn }));
    const enabled = await stateOf(keyAdmin, keyArn);
    expect([enabled.KeyState, enabled.Enabled]).toEqual(['Enabled', true]);
  });

  it('enables automatic rotation and rotates on demand', async () => {
    await keyAdmin.send(new EnableKeyRotationCommand({ KeyId: keyArn, RotationPeriodInDays: 90 }));
    const status = await keyAdmin.send(new GetKeyRotationStatusCommand({ KeyId: keyArn }));
    expect(status.KeyRotationEnabled).toBe(true);
    expect(status.RotationPeriodInDays).toBe(90);
    const rotated = await keyAdmin.send(new RotateKeyOnDemandCommand({ KeyId: keyArn }));
    expect(keyArn.endsWith(`/${rotated.KeyId!}`)).toBe(true);
    const history = await keyAdmin.send(new ListKeyRotationsCommand({ KeyId: keyArn }));
    expect(history.Rotations!.map((r) => r.RotationType)).toEqual(['ON_DEMAND']);
    const after = await stateOf(keyAdmin, keyArn);
    expect(after.KeyState).toBe('Enabled');
    expect(after.CurrentKeyMaterialId).toBe(history.Rotations![0]!.KeyMaterialId);
  });

  it('puts a new key policy that keeps it an administrator, and the new policy governs the key', async () => {
    const narrowed = doc(administrators, users('kms:Encrypt', 'kms:DescribeKey'));
    await keyAdmin.send(new PutKeyPolicyCommand({ KeyId: keyArn, Policy: narrowed }));
    const stored = await keyAdmin.send(new GetKeyPolicyCommand({ KeyId: keyArn }));
    expect(stored.Policy).toBe(narrowed);
    expect((await stateOf(keyAdmin, keyArn)).KeyState).toBe('Enabled');
    await keyUser.send(new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from('x') }));
    const err = await failure(
      keyUser.send(new GenerateDataKeyCommand({ KeyId: keyArn, KeySpec: 'AES_256' })),
    );
    expect(err.name).toBe('AccessDeniedException');
    expect(err.message).toBe(deniedByKeyPolicy(USER, 'kms:GenerateDataKey', keyArn));
    // It is still allowed to change the policy: put the original back.
    await keyAdmin.send(new PutKeyPolicyCommand({ KeyId: keyArn, Policy: policy }));
    const restored = await keyAdmin.send(new GetKeyPolicyCommand({ KeyId: keyArn }));
    expect(restored.Policy).toBe(policy);
  });

  it('is refused a policy that would lock it out of the key', async () => {
    const lockout = doc(users('kms:*'));
    const err = await failure(
      keyAdmin.send(new PutKeyPolicyCommand({ KeyId: keyArn, Policy: lockout })),
    );
    expect(err.name).toBe('MalformedPolicyDocumentException');
    expect(err.message).toBe(
      'The new key policy will not allow you to update the key policy in the future.',
    );
    const stored = await keyAdmin.send(new GetKeyPolicyCommand({ KeyId: keyArn }));
    expect(stored.Policy).toBe(policy);
  });

  it('schedules the deletion of the key and cancels it, leaving the key disabled', async () => {
    const scheduled = await keyAdmin.send(
      new ScheduleKeyDeletionCommand({ KeyId: keyArn, PendingWindowInDays: 7 }),
    );
    expect(scheduled.KeyState).toBe('PendingDeletion');
    const pending = await stateOf(keyAdmin, keyArn);
    expect(pending.KeyState).toBe('PendingDeletion');
    expect(pending.DeletionDate).toBeInstanceOf(Date);
    expect(pending.DeletionDate).toEqual(scheduled.DeletionDate);
    expect(pending.Enabled).toBe(false);
    await keyAdmin.send(new CancelKeyDeletionCommand({ KeyId: keyArn }));
    const cancelled = await stateOf(keyAdmin, keyArn);
    expect(cancelled.KeyState).toBe('Disabled');
    expect(cancelled.DeletionDate).toBeUndefined();
    await keyAdmin.send(new EnableKeyCommand({ KeyId: keyArn }));
    expect((await stateOf(keyAdmin, keyArn)).KeyState).toBe('Enabled');
  });

  it('is still refused Encrypt, Decrypt and GenerateDataKey on the enabled key', async () => {
    const sealed = await keyUser.send(
      new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from('x') }),
    );
    const attempts: [string, Promise<unknown>][] = [
      [
        'kms:Encrypt',
        keyAdmin.send(new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from('x') })),
      ],
      ['kms:Decrypt', keyAdmin.send(new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob }))],
      [
        'kms:GenerateDataKey',
        keyAdmin.send(new GenerateDataKeyCommand({ KeyId: keyArn, KeySpec: 'AES_256' })),
      ],
    ];
    for (const [action, attempt] of attempts) {
      const err = await failure(attempt);
      expect(err.name).toBe('AccessDeniedException');
      expect(err.message).toBe(deniedByKeyPolicy(ADMIN, action, keyArn));
    }
  });
});

describe('a key user named only for cryptographic actions', () => {
  let keyArn: string;
  beforeAll(async () => {
    keyArn = await newKey();
  });

  it('describes the key, encrypts, decrypts and generates data keys', async () => {
    expect((await stateOf(keyUser, keyArn)).KeyState).toBe('Enabled');
    const sealed = await keyUser.send(
      new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from('hello') }),
    );
    const opened = await keyUser.send(
      new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob }),
    );
    expect(Buffer.from(opened.Plaintext!).toString()).toBe('hello');
    const dataKey = await keyUser.send(
      new GenerateDataKeyCommand({ KeyId: keyArn, KeySpec: 'AES_256' }),
    );
    expect(dataKey.Plaintext).toHaveLength(32);
    const openedKey = await keyUser.send(
      new DecryptCommand({ CiphertextBlob: dataKey.CiphertextBlob }),
    );
    expect(Buffer.from(openedKey.Plaintext!)).toEqual(Buffer.from(dataKey.Plaintext!));
  });

  it('is refused DisableKey, ScheduleKeyDeletion, PutKeyPolicy and EnableKeyRotation', async () => {
    const attempts: [string, Promise<unknown>][] = [
      ['kms:DisableKey', keyUser.send(new DisableKeyCommand({ KeyId: keyArn }))],
      [
        'kms:ScheduleKeyDeletion',
        keyUser.send(new ScheduleKeyDeletionCommand({ KeyId: keyArn, PendingWindowInDays: 7 })),
      ],
      [
        'kms:PutKeyPolicy',
        keyUser.send(new PutKeyPolicyCommand({ KeyId: keyArn, Policy: doc(users('kms:*')) })),
      ],
      ['kms:EnableKeyRotation', keyUser.send(new EnableKeyRotationCommand({ KeyId: keyArn }))],
    ];
    for (const [action, attempt] of attempts) {
      const err = await failure(attempt);
      expect(err.name).toBe('AccessDeniedException');
      expect(err.message).toBe(deniedByKeyPolicy(USER, action, keyArn));
    }
  });

  it('leaves the key as it was after the refused requests', async () => {
    const after = await stateOf(keyAdmin, keyArn);
    expect([after.KeyState, after.Enabled, after.DeletionDate]).toEqual([
      'Enabled',
      true,
      undefined,
    ]);
    const rotation = await keyAdmin.send(new GetKeyRotationStatusCommand({ KeyId: keyArn }));
    expect(rotation.KeyRotationEnabled).toBe(false);
    const stored = await keyAdmin.send(new GetKeyPolicyCommand({ KeyId: keyArn }));
    expect(stored.Policy).toBe(policy);
  });
});
