// Starts and stops the two processes under test (Trent and the baseline) as child processes, and
// learns each one's address from the "listening on <url>" line it prints. Stops only what it started:
// the process and, for a cluster, the workers it started.
import { spawn, type ChildProcess } from 'node:child_process';
import { isAlive, processTree } from './proc-stats.js';

export interface ServerProcess {
  readonly name: string;
  readonly pid: number;
  readonly host: string;
  readonly port: number;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /**
   * Sends the signal to the process (SIGTERM: graceful; SIGKILL: a crash) and waits for its exit and
   * for every process it had started (a cluster's workers) to end.
   */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<number | null>;
}

const LISTENING = /listening on http:\/\/([0-9.]+):(\d+)/;

export interface StartOptions {
  readonly name: string;
  readonly nodeArgs: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until none of `pids` runs any more. A cluster's workers end on their own once the primary
 * is gone (their IPC channel closes); any still running after `timeoutMs` are killed by pid.
 */
export async function waitForEnd(pids: readonly number[], timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let alive = pids.filter(isAlive);
  while (alive.length > 0 && performance.now() < deadline) {
    await sleep(20);
    alive = alive.filter(isAlive);
  }
  for (const pid of alive) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // ended meanwhile
    }
  }
}

export function startProcess(options: StartOptions): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...options.nodeArgs], {
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${options.name} did not start in time; it printed:\n${output}`));
    }, options.timeoutMs ?? 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = LISTENING.exec(output);
      if (match?.[1] === undefined || match[2] === undefined || child.pid === undefined) return;
      clearTimeout(timer);
      const pid = child.pid;
      resolve({
        name: options.name,
        pid,
        host: match[1],
        port: Number(match[2]),
        output: () => output,
        stop: async (signal = 'SIGTERM') => {
          const started = processTree(pid).slice(1);
          child.kill(signal);
          const code = await waitForExit(child, 20_000);
          await waitForEnd(started, 20_000);
          return code;
        },
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${options.name} exited with ${String(code)}; it printed:\n${output}`));
    });
  });
}
