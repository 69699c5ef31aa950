// Signatures made by boto3 and by the AWS CLI are accepted, for KMS and for STS GetCallerIdentity;
// a wrong secret is refused with the error code botocore maps.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthHarness, type AuthHarness, type AwsCredentials } from './harness.js';
import { ADMIN_POLICY } from '../../src/authz/credentials/bootstrap.js';

const run = promisify(execFile);
let h: AuthHarness;
beforeAll(async () => {
  h = await startAuthHarness();
});
afterAll(async () => {
  await h.stop();
});

const BOTO3_SCRIPT = `
import json, sys, boto3, botocore
url, ak, sk, tok = sys.argv[1:5]
s = boto3.session.Session(aws_access_key_id=ak, aws_secret_access_key=sk,
                          aws_session_token=tok or None, region_name='us-east-1')
out = {}
try:
    kms = s.client('kms', endpoint_url=url)
    key = kms.create_key()['KeyMetadata']['KeyId']
    blob = kms.encrypt(KeyId=key, Plaintext=b'boto3 plaintext', EncryptionContext={'a': 'b'})['CiphertextBlob']
    out['plaintext'] = kms.decrypt(CiphertextBlob=blob, EncryptionContext={'a': 'b'})['Plaintext'].decode()
    who = s.client('sts', endpoint_url=url).get_caller_identity()
    out['identity'] = {k: who[k] for k in ('Account', 'Arn', 'UserId')}
except botocore.exceptions.ClientError as e:
    out['error'] = e.response['Error']['Code']
print(json.dumps(out))
`;

async function boto3(credentials: AwsCredentials): Promise<Record<string, unknown>> {
  const { stdout } = await run('python3', [
    '-c',
    BOTO3_SCRIPT,
    h.url,
    credentials.accessKeyId,
    credentials.secretAccessKey,
    credentials.sessionToken ?? '',
  ]);
  return JSON.parse(stdout) as Record<string, unknown>;
}

async function awsCli(credentials: AwsCredentials, ...args: string[]): Promise<unknown> {
  const { stdout } = await run(
    'aws',
    [...args, '--endpoint-url', h.url, '--region', 'us-east-1', '--output', 'json'],
    {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        ...(credentials.sessionToken === undefined
          ? {}
          : { AWS_SESSION_TOKEN: credentials.sessionToken }),
      },
    },
  );
  return JSON.parse(stdout);
}

describe('boto3', () => {
  it('signs KMS and STS requests that Trent accepts', async () => {
    const result = await boto3(h.adminCredentials);
    expect(result.plaintext).toBe('boto3 plaintext');
    expect(result.identity).toMatchObject({
      Account: '111122223333',
      Arn: 'arn:aws:iam::111122223333:user/admin',
    });
  });

  it('works with session credentials', async () => {
    const role = await h.trent.credentials.createPrincipal('111122223333', 'role', 'boto-role');
    // Identity policies decide what it may do: this one allows kms:*.
    await h.trent.credentials.attachPolicy(role.arn, 'kms', ADMIN_POLICY);
    const session = await h.trent.credentials.createSession(role.arn, { sessionName: 'py' });
    const result = await boto3(session);
    expect(result.identity).toMatchObject({
      Arn: 'arn:aws:sts::111122223333:assumed-role/boto-role/py',
    });
  });

  it('is refused with a wrong secret', async () => {
    const result = await boto3({ ...h.adminCredentials, secretAccessKey: 'w'.repeat(40) });
    expect(result.error).toBe('InvalidSignatureException');
  });
});

describe('the AWS CLI', () => {
  it('signs KMS and STS requests that Trent accepts', async () => {
    const created = (await awsCli(h.adminCredentials, 'kms', 'create-key')) as {
      KeyMetadata: { KeyId: string };
    };
    const listed = (await awsCli(h.adminCredentials, 'kms', 'list-keys')) as {
      Keys: { KeyId: string }[];
    };
    expect(listed.Keys.map((k) => k.KeyId)).toContain(created.KeyMetadata.KeyId);
    const who = (await awsCli(h.adminCredentials, 'sts', 'get-caller-identity')) as { Arn: string };
    expect(who.Arn).toBe('arn:aws:iam::111122223333:user/admin');
  });

  it('is refused with an unknown access key', async () => {
    await expect(
      awsCli(
        { accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'v'.repeat(40) },
        'kms',
        'list-keys',
      ),
    ).rejects.toMatchObject({
      stderr: expect.stringContaining('UnrecognizedClientException') as unknown,
    });
  });
});
