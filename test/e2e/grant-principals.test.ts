// Grants between real principals over real sockets with real SigV4 signatures: a grant lets a third
// principal Decrypt only with a given encryption context, and nothing else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateGrantCommand,
  CreateKeyCommand,
  DecryptCommand,
  EncryptCommand,
  ListGrantsCommand,
  RetireGrantCommand,
  RevokeGrantCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { startAuthHarness, type AuthHarness } from './harness.js';

const ACCOUNT = '111122223333';

let h: AuthHarness;
let app: KMSClient;
let appArn: string;
let operator: KMSClient;
let operatorArn: string;

async function userClient(name: string): Promise<{ client: KMSClient; arn: string }> {
  const user = await h.trent.credentials.createPrincipal(ACCOUNT, 'user', name);
  const key = await h.trent.credentials.createAccessKey(user.arn);
  return {
    client: h.client({ accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey }),
    arn: user.arn,
  };
}

beforeAll(async () => {
  h = await startAuthHarness();
  ({ client: app, arn: appArn } = await userClient('app'));
  ({ client: operator, arn: operatorArn } = await userClient('operator'));
});
afterAll(async () => {
  await h.stop();
});

async function sealedFor(keyId: string, tenant: string): Promise<Uint8Array> {
  const res = await h.kms.send(
    new EncryptCommand({
      KeyId: keyId,
      Plaintext: Buffer.from(`data of ${tenant}`),
      EncryptionContext: { tenant },
    }),
  );
  return res.CiphertextBlob!;
}

describe('a grant between principals', () => {
  it('lets a third principal Decrypt only with the given encryption context', async () => {
    const { KeyMetadata } = await h.kms.send(new CreateKeyCommand({}));
    const keyId = KeyMetadata!.KeyId!;
    const t1 = await sealedFor(keyId, 't1');
    const t2 = await sealedFor(keyId, 't2');
    const decrypt = (blob: Uint8Array, tenant: string, grantTokens?: string[]) =>
      app.send(
        new DecryptCommand({
          CiphertextBlob: blob,
          EncryptionContext: { tenant },
          ...(grantTokens ? { GrantTokens: grantTokens } : {}),
        }),
      );
    await expect(decrypt(t1, 't1')).rejects.toMatchObject({ name: 'AccessDeniedException' });

    const grant = await h.kms.send(
      new CreateGrantCommand({
        KeyId: keyId,
        GranteePrincipal: appArn,
        RetiringPrincipal: operatorArn,
        Operations: ['Decrypt'],
        Constraints: { EncryptionContextEquals: { tenant: 't1' } },
      }),
    );
    const opened = await decrypt(t1, 't1', [grant.GrantToken!]);
    expect(Buffer.from(opened.Plaintext!).toString()).toBe('data of t1');
    expect(Buffer.from((await decrypt(t1, 't1')).Plaintext!).toString()).toBe('data of t1');
    await expect(decrypt(t2, 't2')).rejects.toMatchObject({ name: 'AccessDeniedException' });
    await expect(
      app.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') })),
    ).rejects.toMatchObject({ name: 'AccessDeniedException' });
    await expect(app.send(new ListGrantsCommand({ KeyId: keyId }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
    await expect(
      app.send(new RevokeGrantCommand({ KeyId: keyId, GrantId: grant.GrantId })),
    ).rejects.toMatchObject({ name: 'AccessDeniedException' });

    // The retiring principal ends it, without any permission from a policy.
    await operator.send(new RetireGrantCommand({ GrantToken: grant.GrantToken }));
    await expect(decrypt(t1, 't1')).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('lets a grantee with CreateGrant hand on a narrower grant only', async () => {
    const { KeyMetadata } = await h.kms.send(new CreateKeyCommand({}));
    const keyId = KeyMetadata!.KeyId!;
    await h.kms.send(
      new CreateGrantCommand({
        KeyId: keyId,
        GranteePrincipal: appArn,
        Operations: ['Decrypt', 'CreateGrant'],
        Constraints: { EncryptionContextSubset: { tenant: 't1' } },
      }),
    );
    await expect(
      app.send(
        new CreateGrantCommand({
          KeyId: keyId,
          GranteePrincipal: operatorArn,
          Operations: ['Decrypt'],
        }),
      ),
    ).rejects.toMatchObject({ name: 'AccessDeniedException' });
    const narrower = await app.send(
      new CreateGrantCommand({
        KeyId: keyId,
        GranteePrincipal: operatorArn,
        Operations: ['Decrypt'],
        Constraints: { EncryptionContextEquals: { tenant: 't1' } },
      }),
    );
    const blob = await sealedFor(keyId, 't1');
    const res = await operator.send(
      new DecryptCommand({
        CiphertextBlob: blob,
        EncryptionContext: { tenant: 't1' },
        GrantTokens: [narrower.GrantToken!],
      }),
    );
    expect(Buffer.from(res.Plaintext!).toString()).toBe('data of t1');
  });
});
