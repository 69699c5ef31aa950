// The messages between the primary process and its worker processes (Node's IPC channel, JSON). The
// audit trail's messages go over a pipe of their own (AUDIT_PIPE_FD, src/audit/stream-channel.ts).
import type { Config } from '../config/schema.js';
import type { ChangeSet } from './coordinator.js';
import type { WireUsage, WireWrite } from './store-writes.js';

/**
 * The worker's file descriptor of its audit pipe (the primary forks it with one beside the IPC channel):
 * audit records are most of the traffic, and there they cross as raw text, unescaped and unparsed.
 */
export const AUDIT_PIPE_FD = 4;

/** The environment variable that tells a forked process which worker it is. */
export const WORKER_ID_ENV = 'TRENT_WORKER_ID';

/**
 * The environment variable that hands a worker its configuration as the primary validated it, and the
 * number of workers (src/cluster/worker-main.ts): a worker loads neither the CLI nor the validator.
 */
export const WORKER_CONFIG_ENV = 'TRENT_WORKER_CONFIG';

/** What WORKER_CONFIG_ENV holds, as JSON. */
export interface WorkerConfig {
  readonly config: Config;
  readonly workers: number;
}

export type WorkerMessage =
  /** The worker listens for changes now; answered by `welcome`, after which it loads its caches. */
  | { readonly trent: 'hello' }
  /** Asks for the change lock `scope`; answered by `locked` with the same id. */
  | { readonly trent: 'lock'; readonly id: number; readonly scope: string }
  /** Releases the lock taken under `id` after the change; answered by `unlocked` once every other
   *  worker has applied `changes`. */
  | { readonly trent: 'unlock'; readonly id: number; readonly changes: ChangeSet }
  /** Has every other worker apply `changes` made without the shared lock; answered by `unlocked`. */
  | { readonly trent: 'publish'; readonly id: number; readonly changes: ChangeSet }
  /** This worker has applied the broadcast `id`. */
  | { readonly trent: 'applied'; readonly id: number }
  /** Key-store writes for the primary to commit; answered by `written`. */
  | { readonly trent: 'write'; readonly id: number; readonly writes: readonly WireWrite[] }
  /** Key usage for the primary to record; answered by `written`. */
  | { readonly trent: 'usage'; readonly id: number; readonly usage: WireUsage }
  /** The worker is serving at `url`. */
  | { readonly trent: 'listening'; readonly url: string }
  /** The worker could not start. */
  | { readonly trent: 'failed'; readonly message: string };

export type PrimaryMessage =
  /** From now on every change reaches this worker. */
  | { readonly trent: 'welcome' }
  | { readonly trent: 'locked'; readonly id: number }
  | { readonly trent: 'unlocked'; readonly id: number }
  | { readonly trent: 'changes'; readonly id: number; readonly changes: ChangeSet }
  /** The writes `id` are committed (or failed with `error`; `keyQuota` when a createKey write found
   *  its account's key quota reached). */
  | {
      readonly trent: 'written';
      readonly id: number;
      readonly error?: string;
      readonly keyQuota?: number;
    }
  /** Finish in-flight requests, flush, close and exit. */
  | { readonly trent: 'shutdown' };

function isTrentMessage(message: unknown): message is { trent: string } {
  return (
    typeof message === 'object' &&
    message !== null &&
    typeof (message as { trent?: unknown }).trent === 'string'
  );
}

export function isWorkerMessage(message: unknown): message is WorkerMessage {
  return isTrentMessage(message);
}

export function isPrimaryMessage(message: unknown): message is PrimaryMessage {
  return isTrentMessage(message);
}
