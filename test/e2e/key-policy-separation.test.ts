// Key policies over real sockets with real SigV4 signatures: an administrator who manages a key but
// cannot use it, a user who uses it but cannot manage it, an explicit deny that beats every allow,
// and cross-account use allowed and refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { startAuthHarness, type AuthHarness } from './harness.js';

const A = '111122223333';
const B = '444455556666';
const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const allowKms = doc({ Effect: 'Allow', Action: 'kms:*', Resource: '*' });

let h: AuthHarness;
let keyAdmin: KMSClient;
let keyUser: KMSClient;
let auditor: KMSClient;
let partner: KMSClient;
let outsider: KMSClient;
let keyArn: string;

async function principal(account: string, name: string, policy?: string): Promise<KMSClient> {
  const row = await h.trent.credentials.createPrincipal(account, 'user', name);
  if (policy) await h.trent.credentials.attachPolicy(row.arn, 'kms', policy);
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

beforeAll(async () => {
  h = await startAuthHarness();
  await h.trent.credentials.createAccount(B);
  // The administrator's and the auditor's identity policies allow kms:*; only the key policy limits them.
  keyAdmin = await principal(A, 'key-admin', allowKms);
  keyUser = await principal(A, 'key-user');
  auditor = await principal(A, 'auditor', allowKms);
  partner = await principal(B, 'partner', allowKms);
  outsider = await principal(B, 'outsider');
  const policy = doc(
    {
      Sid: 'Key administrators',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${A}:user/key-admin` },
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
        'kms:RotateKeyOnDemand',
        'kms:ScheduleKeyDeletion',
        'kms:CancelKeyDeletion',
        'kms:TagResource',
        'kms:UntagResource',
      ],
      Resource: '*',
    },
    {
      Sid: 'Key users',
      Effect: 'Allow',
      Principal: { AWS: [`arn:aws:iam::${A}:user/key-user`, `arn:aws:iam::${A}:user/auditor`] },
      Action: [
        'kms:Encrypt',
        'kms:Decrypt',
        'kms:ReEncrypt*',
        'kms:GenerateDataKey*',
        'kms:DescribeKey',
      ],
      Resource: '*',
    },
    {
      Sid: 'The auditor never decrypts',
      Effect: 'Deny',
      Principal: { AWS: `arn:aws:iam::${A}:user/auditor` },
      Action: 'kms:Decrypt',
      Resource: '*',
    },
    {
      Sid: 'The partner account may encrypt',
      Effect: 'Allow',
      Principal: { AWS: B },
      Action: ['kms:Encrypt', 'kms:DescribeKey'],
      Resource: '*',
    },
  );
  const created = await keyAdmin.send(new CreateKeyCommand({ Policy: policy }));
  keyArn = created.KeyMetadata!.Arn!;
});
afterAll(async () => {
  await h.stop();
});

describe('key administrators and key users', () => {
  it('lets the administrator describe the key it created', async () => {
    const described = await keyAdmin.send(new DescribeKeyCommand({ KeyId: keyArn }));
    expect(described.KeyMetadata!.Arn).toBe(keyArn);
  });

  it('refuses the administrator Encrypt, Decrypt and GenerateDataKey', async () => {
    const sealed = await keyUser.send(
      new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from('x') }),
    );
    const attempts = [
      keyAdmin.send(new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from('x') })),
      keyAdmin.send(new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob })),
      keyAdmin.send(new GenerateDataKeyCommand({ KeyId: keyArn, KeySpec: 'AES_256' })),
    ];
    for (const attempt of attempts) {
      const err = await failure(attempt);
      expect(err.name).toBe('AccessDeniedException');
      expect(err.message).toMatch(
        new RegExp(
          `^User: arn:aws:iam::${A}:user/key-admin is not authorized to perform: kms:\\w+ on resource: ${keyArn} because no resource-based policy allows`,
        ),
      );
    }
  });

  it('lets the user encrypt, decrypt and generate data keys', async () => {
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
  });

  it('refuses the user administration: it has no identity policy and the key policy gives none', async () => {
    const err = await failure(keyUser.send(new CreateKeyCommand({})));
    expect(err.name).toBe('AccessDeniedException');
    expect(err.message).toBe(
      `User: arn:aws:iam::${A}:user/key-user is not authorized to perform: kms:CreateKey on resource: * because no identity-based policy allows the kms:CreateKey action`,
    );
  });
});

describe('explicit deny and other accounts', () => {
  it('lets an explicit deny beat the key policy and an identity policy allowing kms:*', async () => {
    const sealed = await auditor.send(
      new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from('x') }),
    );
    const err = await failure(
      auditor.send(new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob })),
    );
    expect(err.name).toBe('AccessDeniedException');
    expect(err.message).toBe(
      `User: arn:aws:iam::${A}:user/auditor is not authorized to perform: kms:Decrypt on resource: ${keyArn} with an explicit deny in a resource-based policy`,
    );
  });

  it('lets another account encrypt with the key ARN when both policies allow', async () => {
    const sealed = await partner.send(
      new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from('x') }),
    );
    expect(sealed.KeyId).toBe(keyArn);
  });

  it('refuses the other account what the key policy does not give it', async () => {
    const sealed = await partner.send(
      new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from('x') }),
    );
    const err = await failure(
      partner.send(new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob })),
    );
    expect(err.name).toBe('AccessDeniedException');
  });

  it('refuses another-account principal whose own identity policy does not allow', async () => {
    const err = await failure(
      outsider.send(new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from('x') })),
    );
    expect(err.name).toBe('AccessDeniedException');
    expect(err.message).toBe(
      `User: arn:aws:iam::${B}:user/outsider is not authorized to perform: kms:Encrypt on resource: ${keyArn} because no identity-based policy allows the kms:Encrypt action`,
    );
  });
});
