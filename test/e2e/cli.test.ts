import { createServer, type AddressInfo, type Server } from 'node:net';
import { existsSync, renameSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { CreateKeyCommand, DescribeKeyCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import { cleanEnv, runTrent, startTrentProcess, tempDir, type RunningTrent } from './process.js';

const running: RunningTrent[] = [];
async function serve(args: readonly string[], env = cleanEnv()): Promise<RunningTrent> {
  const t = await startTrentProcess(args, env);
  running.push(t);
  return t;
}
afterEach(async () => {
  for (const t of running.splice(0)) await t.stop();
});

describe('trent command line', () => {
  it('prints usage for --help and exits 0', async () => {
    for (const args of [['--help'], ['serve', '--help']]) {
      const r = await runTrent(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Usage: trent <command> [options]');
      expect(r.stdout).toContain('--data-dir DIR');
    }
  });

  it('exits non-zero with a clear message for an unknown option or command', async () => {
    const bad = await runTrent(['serve', '--no-such-option']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^trent: .*--no-such-option/m);
    const cmd = await runTrent(['frobnicate']);
    expect(cmd.code).toBe(2);
    expect(cmd.stderr).toContain("unknown command 'frobnicate'");
  });

  it('exits non-zero with a clear message for a bad option value', async () => {
    const port = await runTrent(['serve', '--dev', '--port', 'eighty']);
    expect(port.code).toBe(2);
    expect(port.stderr).toMatch(
      /^trent: invalid configuration: port \(from --port\): must be a port number/m,
    );
    const region = await runTrent(['serve', '--dev', '--region', 'Mars']);
    expect(region.code).toBe(2);
    expect(region.stderr).toContain('region (from --region): must look like us-east-1');
  });

  it('exits 1 with a clear message when the port is taken', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const r = await runTrent(['serve', '--dev', '--port', String(port)]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`port ${String(port)} on 127.0.0.1 is already in use`);
    } finally {
      await new Promise<void>((resolve) =>
        blocker.close(() => {
          resolve();
        }),
      );
    }
  });

  it('exits 1 with a clear message when the data directory cannot be written', async () => {
    const file = join(tempDir(), 'not-a-dir');
    writeFileSync(file, 'x');
    const r = await runTrent(['serve', '--data-dir', join(file, 'data'), '--port', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^trent: data directory .* is not writable/m);
  });

  it('takes settings from TRENT_* variables, a config file, and flags, in rising precedence', async () => {
    const dir = tempDir();
    const configFile = join(dir, 'trent.yaml');
    writeFileSync(configFile, 'dev: true\nregion: eu-west-1\naccountId: "222233334444"\n');
    const fromFile = await serve(['--config', configFile]);
    const a = await fromFile.kms.send(new CreateKeyCommand({}));
    expect(a.KeyMetadata!.Arn).toMatch(/^arn:aws:kms:eu-west-1:222233334444:key\//);
    const viaEnv = await serve(
      [],
      cleanEnv({ TRENT_CONFIG: configFile, TRENT_REGION: 'ap-south-1', TRENT_DEV: '1' }),
    );
    const b = await viaEnv.kms.send(new CreateKeyCommand({}));
    expect(b.KeyMetadata!.Arn).toMatch(/^arn:aws:kms:ap-south-1:222233334444:key\//);
    const viaFlag = await serve(
      ['--region', 'us-west-2'],
      cleanEnv({ TRENT_CONFIG: configFile, TRENT_REGION: 'ap-south-1' }),
    );
    const c = await viaFlag.kms.send(new CreateKeyCommand({}));
    expect(c.KeyMetadata!.Arn).toMatch(/^arn:aws:kms:us-west-2:222233334444:key\//);
  });

  it('seeds keys from --seed or TRENT_SEED and answers GET /healthz', async () => {
    const seed = join(tempDir(), 'seed.yaml');
    writeFileSync(
      seed,
      'keys:\n  - keyId: 5eed5eed-0000-4000-8000-000000000001\n    aliases: [alias/seeded]\n',
    );
    for (const [args, env] of [
      [['--dev', '--seed', seed], cleanEnv()],
      [['--dev'], cleanEnv({ TRENT_SEED: seed })],
    ] as const) {
      const t = await serve(args, env);
      const d = await t.kms.send(new DescribeKeyCommand({ KeyId: 'alias/seeded' }));
      expect(d.KeyMetadata!.KeyId).toBe('5eed5eed-0000-4000-8000-000000000001');
      const health = await fetch(`${t.url}/healthz`);
      expect(health.status).toBe(200);
    }
  });

  it('exits 1 naming the entry when the seed file is invalid', async () => {
    const seed = join(tempDir(), 'seed.yaml');
    writeFileSync(seed, 'keys:\n  - keyId: 5eed5eed-0000-4000-8000-000000000001\n    alias: [x]\n');
    const r = await runTrent(['serve', '--dev', '--port', '0', '--seed', seed]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^trent: seed file .*: keys\[0\] \(keyId 5eed5eed-0000-4000-8000-000000000001\)/m,
    );
  });

  it('rejects an unknown key in the config file with a clear message', async () => {
    const configFile = join(tempDir(), 'trent.yaml');
    writeFileSync(configFile, 'dev: true\nprot: 9000\n');
    const r = await runTrent(['serve', '--config', configFile]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^trent: invalid configuration: .*prot/m);
  });
});

describe('the root key of an existing store', () => {
  it('refuses to start without root.key, losing nothing, and starts again once it is back', async () => {
    const dataDir = tempDir();
    const first = await serve(['--data-dir', dataDir]);
    const { KeyMetadata } = await first.kms.send(new CreateKeyCommand({}));
    expect((await first.stop()).code).toBe(0);
    running.splice(0);
    renameSync(join(dataDir, 'root.key'), join(dataDir, 'root.key.bak'));
    const r = await runTrent(['serve', '--data-dir', dataDir, '--port', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/root key .*root\.key is missing/);
    expect(existsSync(join(dataDir, 'trent.db'))).toBe(true);
    expect(existsSync(join(dataDir, 'root.key'))).toBe(false);
    renameSync(join(dataDir, 'root.key.bak'), join(dataDir, 'root.key'));
    const again = await serve(['--data-dir', dataDir]);
    const d = await again.kms.send(new DescribeKeyCommand({ KeyId: KeyMetadata!.KeyId }));
    expect(d.KeyMetadata!.KeyState).toBe('Enabled');
  });

  it('refuses to start with a different root.key, and starts again with the right one', async () => {
    const dataDir = tempDir();
    const first = await serve(['--data-dir', dataDir]);
    const { KeyMetadata } = await first.kms.send(new CreateKeyCommand({}));
    await first.stop();
    running.splice(0);
    renameSync(join(dataDir, 'root.key'), join(dataDir, 'root.key.bak'));
    writeFileSync(join(dataDir, 'root.key'), randomBytes(32), { mode: 0o600 });
    chmodSync(join(dataDir, 'root.key'), 0o600);
    const r = await runTrent(['serve', '--data-dir', dataDir, '--port', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('trent: the root key does not match this data directory');
    renameSync(join(dataDir, 'root.key.bak'), join(dataDir, 'root.key'));
    const again = await serve(['--data-dir', dataDir]);
    const keys = await again.kms.send(new ListKeysCommand({}));
    expect(keys.Keys!.map((k) => k.KeyId)).toEqual([KeyMetadata!.KeyId]);
  });
});
