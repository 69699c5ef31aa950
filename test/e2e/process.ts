// Runs the real `node bin/trent.js` (built by `npm test`'s pretest step) as a child process.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KMSClient } from '@aws-sdk/client-kms';
import { kmsClient } from './harness.js';

export const REPO_ROOT = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const BIN = join(REPO_ROOT, 'bin', 'trent.js');

/** The environment children get: the parent's, minus any TRENT_* setting. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('TRENT_')) env[k] = v;
  return { ...env, ...extra };
}

export function tempDir(prefix = 'trent-proc-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunningTrent {
  readonly child: ChildProcess;
  readonly url: string;
  readonly kms: KMSClient;
  stderr(): string;
  /** Resolves when the process has exited. */
  readonly exited: Promise<Finished>;
  /** Sends SIGTERM and waits for the exit. */
  stop(): Promise<Finished>;
}

function collect(child: ChildProcess): {
  exited: Promise<Finished>;
  out: () => string;
  err: () => string;
} {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<Finished>((resolve) => {
    child.on('exit', (code, signal) => {
      // Let the pipes drain.
      setImmediate(() => {
        resolve({ code, signal, stdout, stderr });
      });
    });
  });
  return { exited, out: () => stdout, err: () => stderr };
}

/** Runs `trent <args>` to completion. */
export async function runTrent(args: readonly string[], env = cleanEnv()): Promise<Finished> {
  const child = spawn(process.execPath, [BIN, ...args], { env, cwd: tempDir() });
  const { exited } = collect(child);
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const done = await exited;
  clearTimeout(timer);
  return done;
}

/** The administrator key printed by the first start of each data directory. */
const administrators = new Map<string, { accessKeyId: string; secretAccessKey: string }>();

function printedAccessKey(
  stdout: string,
): { accessKeyId: string; secretAccessKey: string } | undefined {
  const accessKeyId = /aws_access_key_id\s+= (\S+)/.exec(stdout)?.[1];
  const secretAccessKey = /aws_secret_access_key = (\S+)/.exec(stdout)?.[1];
  return accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined;
}

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 5000): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Starts `trent serve <args> --port 0` and waits until it listens; a persistent server's client
 *  signs with the administrator key that the data directory's first start printed. */
export async function startTrentProcess(
  args: readonly string[],
  env = cleanEnv(),
): Promise<RunningTrent> {
  const child = spawn(
    process.execPath,
    [BIN, 'serve', '--port', '0', '--log-level', 'warn', ...args],
    {
      env,
      cwd: tempDir(),
    },
  );
  const { exited, err, out } = collect(child);
  const dataDir = args[args.indexOf('--data-dir') + 1];
  const isFirstStart =
    args.includes('--data-dir') &&
    !args.includes('--dev') &&
    dataDir !== undefined &&
    !existsSync(join(dataDir, 'trent.db'));
  const url = await new Promise<string>((resolve, reject) => {
    const onData = () => {
      const m = /listening on (http:\/\/[^\s]+)/.exec(err());
      if (m) {
        child.stderr?.off('data', onData);
        resolve(m[1]!);
      }
    };
    child.stderr?.on('data', onData);
    void exited.then((f) => {
      reject(new Error(`trent exited with ${String(f.code)} before listening: ${f.stderr}`));
    });
  });
  // A persistent server enforces SigV4: sign with the administrator key its first start printed.
  if (isFirstStart) {
    const printed = await waitFor(() => printedAccessKey(out()));
    if (printed) administrators.set(dataDir, printed);
  }
  const credentials = dataDir === undefined ? undefined : administrators.get(dataDir);
  const kms = credentials
    ? new KMSClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 })
    : kmsClient(url);
  return {
    child,
    url,
    kms,
    stderr: err,
    exited,
    async stop() {
      kms.destroy();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
