// Key policies enforced over the wire with SigV4: policy validation on CreateKey and PutKeyPolicy, the
// lockout safety check, explicit denies and operation condition keys. The caller is the administrator,
// a user whose identity policy allows kms:*, so the key policy decides.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  PutKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { startAuthHarness, type AuthHarness } from './harness.js';
import { putTestAlias } from './key-fixtures.js';

const A = '111122223333';
const ROOT = `arn:aws:iam::${A}:root`;
const ADMIN = `arn:aws:iam::${A}:user/admin`;
const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const rootStatement = { Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' };

let h: AuthHarness;

beforeAll(async () => {
  h = await startAuthHarness();
});
afterAll(async () => {
  await h.stop();
});

async function failure(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await p;
  } catch (err) {
    return err as { name: string; message: string };
  }
  throw new Error('expected the request to fail');
}

async function createKey(kms: KMSClient, policy: string, bypass = false): Promise<string> {
  const created = await kms.send(
    new CreateKeyCommand({ Policy: policy, BypassPolicyLockoutSafetyCheck: bypass }),
  );
  return created.KeyMetadata!.Arn!;
}

describe('key policies on CreateKey', () => {
  it('rejects a policy that is not valid JSON', async () => {
    const err = await failure(h.kms.send(new CreateKeyCommand({ Policy: '{"Statement": [' })));
    expect(err.name).toBe('MalformedPolicyDocumentException');
  });

  it('rejects a policy naming a principal that does not exist', async () => {
    const policy = doc(rootStatement, {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${A}:user/nobody` },
      Action: 'kms:Decrypt',
      Resource: '*',
    });
    const err = await failure(h.kms.send(new CreateKeyCommand({ Policy: policy })));
    expect(err.name).toBe('MalformedPolicyDocumentException');
    expect(err.message).toBe('Policy contains a statement with one or more invalid principals.');
  });

  it('refuses a policy that would lock the caller out', async () => {
    const policy = doc({ ...rootStatement, Action: ['kms:Encrypt', 'kms:Decrypt'] });
    const err = await failure(h.kms.send(new CreateKeyCommand({ Policy: policy })));
    expect(err.name).toBe('MalformedPolicyDocumentException');
    expect(err.message).toBe(
      'The new key policy will not allow you to update the key policy in the future.',
    );
  });

  it('enforces a bypassed locking policy: the caller loses what the policy does not give', async () => {
    const arn = await createKey(h.kms, doc({ ...rootStatement, Action: 'kms:DescribeKey' }), true);
    await h.kms.send(new DescribeKeyCommand({ KeyId: arn }));
    const err = await failure(
      h.kms.send(new EncryptCommand({ KeyId: arn, Plaintext: Buffer.from('x') })),
    );
    expect(err.name).toBe('AccessDeniedException');
    expect(err.message).toBe(
      `User: ${ADMIN} is not authorized to perform: kms:Encrypt on resource: ${arn} because no resource-based policy allows the kms:Encrypt action`,
    );
  });
});

describe('conditions and explicit deny over the wire', () => {
  it('denies Decrypt for one encryption context and allows it for another', async () => {
    const arn = await createKey(
      h.kms,
      doc(rootStatement, {
        Effect: 'Deny',
        Principal: '*',
        Action: 'kms:Decrypt',
        Resource: '*',
        Condition: { StringEquals: { 'kms:EncryptionContext:class': 'secret' } },
      }),
    );
    const seal = (cls: string) =>
      h.kms.send(
        new EncryptCommand({
          KeyId: arn,
          Plaintext: Buffer.from('x'),
          EncryptionContext: { class: cls },
        }),
      );
    const open = (blob: Uint8Array, cls: string) =>
      h.kms.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { class: cls } }));
    const secret = await seal('secret');
    const plain = await seal('public');
    const err = await failure(open(secret.CiphertextBlob!, 'secret'));
    expect(err.name).toBe('AccessDeniedException');
    expect(err.message).toBe(
      `User: ${ADMIN} is not authorized to perform: kms:Decrypt on resource: ${arn} with an explicit deny in a resource-based policy`,
    );
    const ok = await open(plain.CiphertextBlob!, 'public');
    expect(Buffer.from(ok.Plaintext!).toString()).toBe('x');
  });

  it('lets a key policy require an encryption context with Null', async () => {
    const arn = await createKey(
      h.kms,
      doc(rootStatement, {
        Effect: 'Deny',
        Principal: '*',
        Action: 'kms:Encrypt',
        Resource: '*',
        Condition: { Null: { 'kms:EncryptionContextKeys': 'true' } },
      }),
    );
    const err = await failure(
      h.kms.send(new EncryptCommand({ KeyId: arn, Plaintext: Buffer.from('x') })),
    );
    expect(err.name).toBe('AccessDeniedException');
    await h.kms.send(
      new EncryptCommand({
        KeyId: arn,
        Plaintext: Buffer.from('x'),
        EncryptionContext: { a: 'b' },
      }),
    );
  });
});

describe('key policies on PutKeyPolicy', () => {
  it('refuses a policy that would lock the caller out, and accepts it with the bypass', async () => {
    const arn = await createKey(h.kms, doc(rootStatement));
    const locking = doc({ ...rootStatement, Action: ['kms:Encrypt', 'kms:Decrypt'] });
    const err = await failure(h.kms.send(new PutKeyPolicyCommand({ KeyId: arn, Policy: locking })));
    expect(err.name).toBe('MalformedPolicyDocumentException');
    expect(err.message).toBe(
      'The new key policy will not allow you to update the key policy in the future.',
    );
    await h.kms.send(
      new PutKeyPolicyCommand({
        KeyId: arn,
        Policy: locking,
        BypassPolicyLockoutSafetyCheck: true,
      }),
    );
    const after = await failure(
      h.kms.send(new PutKeyPolicyCommand({ KeyId: arn, Policy: doc(rootStatement) })),
    );
    expect(after.name).toBe('AccessDeniedException');
  });

  it('rejects a malformed policy and keeps the old one in force', async () => {
    const arn = await createKey(h.kms, doc(rootStatement));
    const err = await failure(
      h.kms.send(
        new PutKeyPolicyCommand({ KeyId: arn, Policy: doc({ ...rootStatement, Effect: 'Maybe' }) }),
      ),
    );
    expect(err.name).toBe('MalformedPolicyDocumentException');
    await h.kms.send(new EncryptCommand({ KeyId: arn, Plaintext: Buffer.from('x') }));
  });
});

describe('operation condition keys over the wire', () => {
  it('lets a key policy require the longest deletion waiting period', async () => {
    const arn = await createKey(
      h.kms,
      doc(rootStatement, {
        Effect: 'Deny',
        Principal: '*',
        Action: 'kms:ScheduleKeyDeletion',
        Resource: '*',
        Condition: { NumericLessThan: { 'kms:ScheduleKeyDeletionPendingWindowInDays': 30 } },
      }),
    );
    const err = await failure(
      h.kms.send(new ScheduleKeyDeletionCommand({ KeyId: arn, PendingWindowInDays: 7 })),
    );
    expect(err.name).toBe('AccessDeniedException');
    const scheduled = await h.kms.send(
      new ScheduleKeyDeletionCommand({ KeyId: arn, PendingWindowInDays: 30 }),
    );
    expect(scheduled.PendingWindowInDays).toBe(30);
  });

  it('lets a key policy allow Encrypt only through one alias (kms:RequestAlias)', async () => {
    const arn = await createKey(
      h.kms,
      doc(rootStatement, {
        Effect: 'Deny',
        Principal: '*',
        Action: 'kms:Encrypt',
        Resource: '*',
        Condition: { StringNotEquals: { 'kms:RequestAlias': 'alias/billing-app' } },
      }),
    );
    const keyId = arn.split('/')[1]!;
    const alias = await putTestAlias(h, keyId, 'billing-app');
    await putTestAlias(h, keyId, 'other-app');
    const seal = (ref: string) =>
      h.kms.send(new EncryptCommand({ KeyId: ref, Plaintext: Buffer.from('x') }));
    await seal(alias.aliasName);
    await seal(alias.aliasArn);
    for (const ref of [arn, keyId, 'alias/other-app']) {
      expect((await failure(seal(ref))).name).toBe('AccessDeniedException');
    }
  });

  it('lets a key policy deny by the aliases a key has (kms:ResourceAliases)', async () => {
    const arn = await createKey(
      h.kms,
      doc(rootStatement, {
        Effect: 'Deny',
        Principal: '*',
        Action: 'kms:Encrypt',
        Resource: '*',
        Condition: { 'ForAnyValue:StringLike': { 'kms:ResourceAliases': 'alias/frozen-*' } },
      }),
    );
    await h.kms.send(new EncryptCommand({ KeyId: arn, Plaintext: Buffer.from('x') }));
    await putTestAlias(h, arn.split('/')[1]!, 'frozen-archive');
    const err = await failure(
      h.kms.send(new EncryptCommand({ KeyId: arn, Plaintext: Buffer.from('x') })),
    );
    expect(err.name).toBe('AccessDeniedException');
  });
});
