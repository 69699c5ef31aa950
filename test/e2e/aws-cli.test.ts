// The AWS CLI v2 (Debian's awscli package, /usr/bin/aws) against a Trent started by the test.
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, TEST_CREDENTIALS, type Harness } from './harness.js';
import { tempDir } from './process.js';

const AWS = '/usr/bin/aws';
// Each CLI call starts a Python interpreter: a few seconds on a busy machine.
const CLI_TIMEOUT_MS = 240_000;
let h: Harness;
let work: string;

beforeAll(async () => {
  h = await startHarness();
  work = tempDir('trent-awscli-');
});
afterAll(async () => {
  await h.stop();
});

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `aws kms <args>` asynchronously (the server runs in this process) with dummy credentials. */
function aws(...args: string[]): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: work,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_CONFIG_FILE: join(work, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(work, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  };
  const argv = [
    '--endpoint-url',
    h.url,
    '--region',
    'us-east-1',
    '--output',
    'json',
    'kms',
    ...args,
  ];
  return new Promise((resolve) => {
    execFile(AWS, argv, { env, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

async function awsJson(...args: string[]): Promise<Record<string, unknown>> {
  const r = await aws(...args);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout.trim() === '' ? {} : (JSON.parse(r.stdout) as Record<string, unknown>);
}

describe('AWS CLI v2', () => {
  it(
    'is installed at /usr/bin/aws as version 2',
    async () => {
      expect(existsSync(AWS)).toBe(true);
      const version = await new Promise<string>((resolve) => {
        execFile(AWS, ['--version'], (_err, stdout) => {
          resolve(stdout);
        });
      });
      expect(version).toMatch(/^aws-cli\/2\./);
    },
    CLI_TIMEOUT_MS,
  );

  it(
    'runs a whole session: create-key, create-alias, encrypt, decrypt, generate-data-key, list-keys, describe-key, schedule-key-deletion',
    async () => {
      const created = await awsJson('create-key', '--description', 'from the CLI');
      const meta = created.KeyMetadata as Record<string, unknown>;
      expect(meta.KeySpec).toBe('SYMMETRIC_DEFAULT');
      expect(meta.Description).toBe('from the CLI');
      const keyId = meta.KeyId as string;
      const keyArn = meta.Arn as string;

      expect(
        await awsJson('create-alias', '--alias-name', 'alias/cli', '--target-key-id', keyId),
      ).toEqual({});

      const plaintextFile = join(work, 'plain.bin');
      const secret = Buffer.from([0, 1, 2, 250, 251, 252, 10, 13]);
      writeFileSync(plaintextFile, secret);
      const enc = await awsJson(
        'encrypt',
        '--key-id',
        'alias/cli',
        '--plaintext',
        `fileb://${plaintextFile}`,
        '--encryption-context',
        'purpose=cli-test',
      );
      expect(enc.KeyId).toBe(keyArn);
      expect(enc.EncryptionAlgorithm).toBe('SYMMETRIC_DEFAULT');
      const blobFile = join(work, 'cipher.bin');
      writeFileSync(blobFile, Buffer.from(enc.CiphertextBlob as string, 'base64'));

      const dec = await awsJson(
        'decrypt',
        '--ciphertext-blob',
        `fileb://${blobFile}`,
        '--encryption-context',
        'purpose=cli-test',
      );
      expect(dec.KeyId).toBe(keyArn);
      expect(Buffer.from(dec.Plaintext as string, 'base64').equals(secret)).toBe(true);

      // --plaintext as an argument is base64 under CLI v2's default cli_binary_format.
      const enc2 = await awsJson('encrypt', '--key-id', keyId, '--plaintext', 'aGVsbG8=');
      writeFileSync(blobFile, Buffer.from(enc2.CiphertextBlob as string, 'base64'));
      const dec2 = await awsJson(
        'decrypt',
        '--ciphertext-blob',
        `fileb://${blobFile}`,
        '--key-id',
        'alias/cli',
      );
      expect(Buffer.from(dec2.Plaintext as string, 'base64').toString()).toBe('hello');

      const dk = await awsJson(
        'generate-data-key',
        '--key-id',
        'alias/cli',
        '--key-spec',
        'AES_256',
      );
      expect(Buffer.from(dk.Plaintext as string, 'base64')).toHaveLength(32);
      writeFileSync(blobFile, Buffer.from(dk.CiphertextBlob as string, 'base64'));
      const dkBack = await awsJson('decrypt', '--ciphertext-blob', `fileb://${blobFile}`);
      expect(dkBack.Plaintext).toBe(dk.Plaintext);

      const listed = await awsJson('list-keys');
      expect(listed.Keys).toContainEqual({ KeyId: keyId, KeyArn: keyArn });

      const described = await awsJson(
        'describe-key',
        '--key-id',
        `arn:aws:kms:us-east-1:111122223333:alias/cli`,
      );
      expect((described.KeyMetadata as Record<string, unknown>).KeyId).toBe(keyId);

      const aliases = await awsJson('list-aliases', '--key-id', keyId);
      expect(aliases.Aliases).toEqual([
        expect.objectContaining({ AliasName: 'alias/cli', TargetKeyId: keyId }),
      ]);

      const scheduled = await awsJson(
        'schedule-key-deletion',
        '--key-id',
        keyId,
        '--pending-window-in-days',
        '7',
      );
      expect(scheduled).toMatchObject({
        KeyId: keyArn,
        KeyState: 'PendingDeletion',
        PendingWindowInDays: 7,
      });
      // CLI v2 prints timestamps as ISO 8601 (cli_timestamp_format); the wire carries epoch seconds.
      expect(Date.parse(scheduled.DeletionDate as string)).toBeGreaterThan(
        Date.now() + 6 * 86_400_000,
      );
      const pending = await awsJson('describe-key', '--key-id', 'alias/cli');
      expect((pending.KeyMetadata as Record<string, unknown>).KeyState).toBe('PendingDeletion');
      const refused = await aws('encrypt', '--key-id', 'alias/cli', '--plaintext', 'aGVsbG8=');
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('(KMSInvalidStateException)');
    },
    CLI_TIMEOUT_MS,
  );

  it(
    'reports AWS errors the way the CLI prints them, with a non-zero exit',
    async () => {
      const r = await aws('describe-key', '--key-id', '00000000-0000-0000-0000-000000000000');
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(
        "An error occurred (NotFoundException) when calling the DescribeKey operation: Key 'arn:aws:kms:us-east-1:111122223333:key/00000000-0000-0000-0000-000000000000' does not exist",
      );
    },
    CLI_TIMEOUT_MS,
  );

  it(
    'keeps the data key plaintext out of generate-data-key-without-plaintext',
    async () => {
      const created = await awsJson('create-key');
      const keyId = (created.KeyMetadata as Record<string, unknown>).KeyId as string;
      const dk = await awsJson(
        'generate-data-key-without-plaintext',
        '--key-id',
        keyId,
        '--number-of-bytes',
        '16',
      );
      expect(dk.Plaintext).toBeUndefined();
      expect(Buffer.from(dk.CiphertextBlob as string, 'base64').length).toBeGreaterThan(16);
    },
    CLI_TIMEOUT_MS,
  );
});
