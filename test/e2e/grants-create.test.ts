import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateGrantCommand,
  CreateKeyCommand,
  DisableKeyCommand,
  EncryptCommand,
  ListGrantsCommand,
} from '@aws-sdk/client-kms';
import { startHarness, type Harness } from './harness.js';

const ROOT = 'arn:aws:iam::111122223333:root';
const ALICE = 'arn:aws:iam::111122223333:user/alice';
const BOB = 'arn:aws:iam::111122223333:role/bob';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ grantsPerKey: 3 });
});
afterAll(async () => {
  await h.stop();
});

async function newKey(): Promise<string> {
  const { KeyMetadata } = await h.kms.send(new CreateKeyCommand({}));
  return KeyMetadata!.KeyId!;
}

describe('CreateGrant over the wire', () => {
  it('creates a grant whose id is 64 hex characters and lists it with its constraints', async () => {
    const keyId = await newKey();
    const created = await h.kms.send(
      new CreateGrantCommand({
        KeyId: keyId,
        GranteePrincipal: ALICE,
        RetiringPrincipal: BOB,
        Operations: ['Decrypt', 'DescribeKey'],
        Constraints: { EncryptionContextEquals: { tenant: 't1' } },
        Name: 'alice-decrypt',
      }),
    );
    expect(created.GrantId).toMatch(/^[0-9a-f]{64}$/);
    expect(created.GrantToken!.length).toBeGreaterThan(32);
    const listed = await h.kms.send(new ListGrantsCommand({ KeyId: keyId }));
    expect(listed.Truncated).toBe(false);
    expect(listed.Grants).toHaveLength(1);
    const g = listed.Grants![0]!;
    expect(g).toMatchObject({
      GrantId: created.GrantId,
      KeyId: `arn:aws:kms:us-east-1:111122223333:key/${keyId}`,
      Name: 'alice-decrypt',
      GranteePrincipal: ALICE,
      RetiringPrincipal: BOB,
      IssuingAccount: ROOT,
      Operations: ['Decrypt', 'DescribeKey'],
      Constraints: { EncryptionContextEquals: { tenant: 't1' } },
    });
    expect(g.CreationDate).toBeInstanceOf(Date);
    expect(JSON.stringify(listed)).not.toContain(created.GrantToken);
  });

  it('returns the same GrantId and a new token when a named CreateGrant is retried', async () => {
    const keyId = await newKey();
    const request = {
      KeyId: keyId,
      GranteePrincipal: ALICE,
      Operations: ['Encrypt' as const],
      Name: 'retry',
    };
    const first = await h.kms.send(new CreateGrantCommand(request));
    const second = await h.kms.send(new CreateGrantCommand(request));
    expect(second.GrantId).toBe(first.GrantId);
    expect(second.GrantToken).not.toBe(first.GrantToken);
    const unnamed = await h.kms.send(
      new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: ALICE, Operations: ['Encrypt'] }),
    );
    expect(unnamed.GrantId).not.toBe(first.GrantId);
    const listed = await h.kms.send(new ListGrantsCommand({ KeyId: keyId }));
    expect(listed.Grants).toHaveLength(2);
  });

  it('accepts both tokens of a retried grant and refuses a forged one', async () => {
    const keyId = await newKey();
    const request = {
      KeyId: keyId,
      GranteePrincipal: ALICE,
      Operations: ['Encrypt' as const],
      Name: 'n',
    };
    const a = await h.kms.send(new CreateGrantCommand(request));
    const b = await h.kms.send(new CreateGrantCommand(request));
    await h.kms.send(
      new EncryptCommand({
        KeyId: keyId,
        Plaintext: Buffer.from('x'),
        GrantTokens: [a.GrantToken!, b.GrantToken!],
      }),
    );
    const forged = `${a.GrantToken!.slice(0, -2)}AA`;
    await expect(
      h.kms.send(
        new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x'), GrantTokens: [forged] }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidGrantTokenException' });
    await expect(
      h.kms.send(
        new EncryptCommand({
          KeyId: keyId,
          Plaintext: Buffer.from('x'),
          GrantTokens: ['nonsense'],
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidGrantTokenException' });
  });

  it('rejects a grant for an operation the key does not support with ValidationException', async () => {
    const keyId = await newKey();
    await expect(
      h.kms.send(
        new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: ALICE, Operations: ['Sign'] }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('rejects CreateGrant without a grantee, or with both kinds of grantee', async () => {
    const keyId = await newKey();
    await expect(
      h.kms.send(new CreateGrantCommand({ KeyId: keyId, Operations: ['Encrypt'] })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(
      h.kms.send(
        new CreateGrantCommand({
          KeyId: keyId,
          GranteePrincipal: ALICE,
          GranteeServicePrincipal: 'logs.us-east-1.amazonaws.com',
          Operations: ['Encrypt'],
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('rejects a constraint of more than 8 pairs or a value over 384 characters', async () => {
    const keyId = await newKey();
    const nine = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`k${i}`, 'v']));
    await expect(
      h.kms.send(
        new CreateGrantCommand({
          KeyId: keyId,
          GranteePrincipal: ALICE,
          Operations: ['Decrypt'],
          Constraints: { EncryptionContextSubset: nine },
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(
      h.kms.send(
        new CreateGrantCommand({
          KeyId: keyId,
          GranteePrincipal: ALICE,
          Operations: ['Decrypt'],
          Constraints: { EncryptionContextEquals: { k: 'v'.repeat(385) } },
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('refuses CreateGrant on a Disabled key with DisabledException', async () => {
    const keyId = await newKey();
    await disable(keyId);
    await expect(
      h.kms.send(
        new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: ALICE, Operations: ['Decrypt'] }),
      ),
    ).rejects.toMatchObject({ name: 'DisabledException' });
  });

  it('answers DryRunOperationException and creates nothing on a DryRun CreateGrant', async () => {
    const keyId = await newKey();
    await expect(
      h.kms.send(
        new CreateGrantCommand({
          KeyId: keyId,
          GranteePrincipal: ALICE,
          Operations: ['Decrypt'],
          DryRun: true,
        }),
      ),
    ).rejects.toMatchObject({ name: 'DryRunOperationException' });
    const listed = await h.kms.send(new ListGrantsCommand({ KeyId: keyId }));
    expect(listed.Grants).toHaveLength(0);
  });

  it('refuses a grant past the per-key limit with LimitExceededException', async () => {
    const keyId = await newKey();
    for (let i = 0; i < 3; i++) {
      await h.kms.send(
        new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: ALICE, Operations: ['Decrypt'] }),
      );
    }
    await expect(
      h.kms.send(
        new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: ALICE, Operations: ['Decrypt'] }),
      ),
    ).rejects.toMatchObject({ name: 'LimitExceededException' });
  });

  it('creates one grant for concurrent identical named requests', async () => {
    const keyId = await newKey();
    const request = {
      KeyId: keyId,
      GranteePrincipal: ALICE,
      Operations: ['Decrypt' as const],
      Name: 'race',
    };
    const results = await Promise.all(
      Array.from({ length: 5 }, () => h.kms.send(new CreateGrantCommand(request))),
    );
    expect(new Set(results.map((r) => r.GrantId)).size).toBe(1);
    expect(new Set(results.map((r) => r.GrantToken)).size).toBe(5);
  });

  it('never exceeds the per-key limit under concurrent requests', async () => {
    const keyId = await newKey();
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () =>
        h.kms.send(
          new CreateGrantCommand({
            KeyId: keyId,
            GranteePrincipal: ALICE,
            Operations: ['Decrypt'],
          }),
        ),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    const listed = await h.kms.send(new ListGrantsCommand({ KeyId: keyId }));
    expect(listed.Grants).toHaveLength(3);
  });
});

async function disable(keyId: string): Promise<void> {
  await h.kms.send(new DisableKeyCommand({ KeyId: keyId }));
}
