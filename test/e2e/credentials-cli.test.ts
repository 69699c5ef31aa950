// A persistent server's first start creates an administrator once; the `trent` admin commands
// change a stopped server's data directory, refuse while it runs, and their keys work after restart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { pino } from 'pino';
import { runCli } from '../../src/cli/main.js';
import { startTrent, type Trent } from '../../src/main.js';
import type { NewAccessKey } from '../../src/authz/credentials/credential-admin.js';
import { testConfig, type AwsCredentials } from './harness.js';

const dataDir = mkdtempSync(join(tmpdir(), 'trent-cli-'));
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(): Promise<{ trent: Trent; created: NewAccessKey[] }> {
  const created: NewAccessKey[] = [];
  const trent = await startTrent(testConfig({ dev: false, auth: 'sigv4', dataDir }), {
    logger: pino({ level: 'silent' }),
    onAdministratorCreated: (key) => created.push(key),
  });
  return { trent, created };
}

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err += String(chunk);
    return true;
  });
  try {
    const code = await runCli([...args, '--data-dir', dataDir]);
    return { code, out, err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

async function callerArn(url: string, credentials: AwsCredentials): Promise<string | undefined> {
  const client = new STSClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 });
  try {
    return (await client.send(new GetCallerIdentityCommand({}))).Arn;
  } finally {
    client.destroy();
  }
}

describe('credentials of a persistent server', () => {
  let admin: NewAccessKey;

  it('creates an administrator with an access key on first start only', async () => {
    const first = await start();
    expect(first.created).toHaveLength(1);
    admin = first.created[0]!;
    expect(admin.accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(admin.secretAccessKey).toHaveLength(40);
    expect(await callerArn(first.trent.url, admin)).toBe('arn:aws:iam::111122223333:user/admin');
    expect(first.trent.credentials.registry.identityPolicies(admin.principalArn)[0]).toContain(
      'kms:*',
    );
    await first.trent.close();
    const second = await start();
    expect(second.created).toHaveLength(0);
    expect(await callerArn(second.trent.url, admin)).toBe('arn:aws:iam::111122223333:user/admin');
    await second.trent.close();
  });

  it('refuses admin commands while a server runs on the data directory', async () => {
    const { trent } = await start();
    try {
      const result = await cli('user', 'create', 'alice');
      expect(result.code).toBe(1);
      expect(result.err).toMatch(/is running on .*; stop it first/);
    } finally {
      await trent.close();
    }
  });

  it('creates users, roles, keys, sessions and policies that a restarted server honours', async () => {
    expect((await cli('user', 'create', 'alice', '--tag', 'team=blue')).code).toBe(0);
    const key = JSON.parse((await cli('access-key', 'create', '--user', 'alice')).out) as {
      AccessKeyId: string;
      SecretAccessKey: string;
    };
    expect((await cli('role', 'create', 'app')).code).toBe(0);
    const policy =
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Encrypt","Resource":"*"}]}';
    expect(
      (await cli('policy', 'attach', '--role', 'app', '--name', 'use', '--document', policy)).code,
    ).toBe(0);
    const session = JSON.parse(
      (await cli('session', 'create', '--role', 'app', '--session-name', 'job-7')).out,
    ) as {
      Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
      Arn: string;
    };
    expect(session.Arn).toBe('arn:aws:sts::111122223333:assumed-role/app/job-7');
    const listed = JSON.parse((await cli('access-key', 'list')).out) as {
      AccessKeys: unknown[];
      Sessions: unknown[];
    };
    expect(listed.AccessKeys).toHaveLength(2);
    expect(listed.Sessions).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(key.SecretAccessKey);

    const { trent } = await start();
    try {
      expect(
        await callerArn(trent.url, {
          accessKeyId: key.AccessKeyId,
          secretAccessKey: key.SecretAccessKey,
        }),
      ).toBe('arn:aws:iam::111122223333:user/alice');
      const c = session.Credentials;
      expect(
        await callerArn(trent.url, {
          accessKeyId: c.AccessKeyId,
          secretAccessKey: c.SecretAccessKey,
          sessionToken: c.SessionToken,
        }),
      ).toBe(session.Arn);
      expect(trent.credentials.registry.identityPolicies(session.Arn)).toEqual([policy]);
      expect(
        trent.credentials.registry.principalTags('arn:aws:iam::111122223333:user/alice'),
      ).toEqual({ team: 'blue' });
      const kms = new KMSClient({
        endpoint: trent.url,
        region: 'us-east-1',
        credentials: admin,
        maxAttempts: 1,
      });
      await kms.send(new ListKeysCommand({}));
      kms.destroy();
    } finally {
      await trent.close();
    }

    expect((await cli('access-key', 'delete', key.AccessKeyId)).code).toBe(0);
    expect((await cli('policy', 'detach', '--role', 'app', '--name', 'use')).code).toBe(0);
    const restarted = await start();
    try {
      await expect(
        callerArn(restarted.trent.url, {
          accessKeyId: key.AccessKeyId,
          secretAccessKey: key.SecretAccessKey,
        }),
      ).rejects.toMatchObject({
        name: 'InvalidClientTokenId',
      });
      expect(restarted.trent.credentials.registry.identityPolicies(session.Arn)).toEqual([]);
    } finally {
      await restarted.trent.close();
    }
  });

  it('reports usage errors without a stack trace', async () => {
    const result = await cli('user', 'create', 'bad name!');
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/^trent: invalid user name 'bad name!'/);
    expect((await cli('access-key', 'create')).err).toMatch(/--user NAME, --role NAME or --root/);
  });
});
