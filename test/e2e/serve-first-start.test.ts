// `trent serve` on a new data directory prints the administrator's access key once, on stdout; the
// key works; a second start prints no secret. Runs the built command in a child process.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';

const dataDir = mkdtempSync(join(tmpdir(), 'trent-serve-'));
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

interface Served {
  readonly child: ChildProcess;
  readonly url: string;
  output(): string;
}

function serve(): Promise<Served> {
  const bin = fileURLToPath(new URL('../../bin/trent.js', import.meta.url));
  const child = spawn(process.execPath, [
    bin,
    'serve',
    '--data-dir',
    dataDir,
    '--port',
    '0',
    '--log-level',
    'silent',
  ]);
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const url = /listening on (http:\/\/[\d.:]+)/.exec(out)?.[1];
      if (url !== undefined) {
        clearInterval(timer);
        resolve({ child, url, output: () => out });
      }
    }, 50);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`trent serve exited with ${String(code)}: ${out}`));
    });
  });
}

async function stop(served: Served): Promise<void> {
  const exited = new Promise((resolve) => served.child.once('exit', resolve));
  served.child.kill('SIGTERM');
  await exited;
}

describe('trent serve on a new data directory', () => {
  it('prints a working administrator key once and never again', async () => {
    const first = await serve();
    const id = /aws_access_key_id\s+= (AKIA[A-Z2-7]{16})/.exec(first.output())?.[1];
    const secret = /aws_secret_access_key = ([A-Za-z0-9+/]{40})\n/.exec(first.output())?.[1];
    expect(id).toBeDefined();
    expect(secret).toBeDefined();
    const sts = new STSClient({
      endpoint: first.url,
      region: 'us-east-1',
      credentials: { accessKeyId: id!, secretAccessKey: secret! },
      maxAttempts: 1,
    });
    expect((await sts.send(new GetCallerIdentityCommand({}))).Arn).toBe(
      'arn:aws:iam::111122223333:user/admin',
    );
    sts.destroy();
    await stop(first);
    expect(first.output().split(secret!).length).toBe(2);

    const second = await serve();
    await stop(second);
    expect(second.output()).not.toContain(secret!);
    expect(second.output()).not.toMatch(/aws_secret_access_key/);
  });
});
