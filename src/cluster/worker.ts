// One worker process of `trent serve --workers N`: a whole server over the shared store, whose change
// lock and audit trail are the primary's.
import cluster from 'node:cluster';
import { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import { RemoteAuditRecorder } from '../audit/remote-audit-recorder.js';
import { streamChannel } from '../audit/stream-channel.js';
import { proxyBatchWindowMs } from '../audit/audit-writer.js';
import { startTrent, type Trent } from '../main.js';
import { KeyQuotaExceededError } from '../store/store.js';
import {
  AUDIT_PIPE_FD,
  isPrimaryMessage,
  type PrimaryMessage,
  type WorkerMessage,
} from './messages.js';
import { ProcessCoordinator, type PrimaryChannel } from './process-coordinator.js';
import { writingThrough, type WriteChannel } from './store-writes.js';

/** How long a worker whose primary is gone waits for in-flight requests before it exits. */
const ORPHAN_EXIT_MS = 2000;

function send(message: WorkerMessage): void {
  // A send that races the primary's exit is dropped ('disconnect' below stops this worker).
  if (process.connected) process.send?.(message, undefined, {}, () => undefined);
}

export async function runWorker(
  config: Config,
  options: { readonly workerId: number; readonly workers: number; readonly logger: Logger },
): Promise<void> {
  const { logger, workerId } = options;
  const listeners = new Set<(message: PrimaryMessage) => void>();
  process.on('message', (message: unknown) => {
    if (isPrimaryMessage(message)) for (const l of listeners) l(message);
  });
  const primaryChannel: PrimaryChannel = {
    send,
    onMessage(listener) {
      listeners.add(listener);
    },
  };
  const coordinator = new ProcessCoordinator(primaryChannel, (err) => {
    // A change this process could not apply leaves its caches stale: it must not serve on.
    logger.fatal({ err, workerId }, 'could not apply a change made by another worker; exiting');
    process.exit(1);
  });
  const writes = primaryWrites(send, (l) => listeners.add(l));
  const auditPipe = new Socket({ fd: AUDIT_PIPE_FD, readable: true, writable: true });
  // The pipe alone does not keep this process running: the primary decides when it stops.
  auditPipe.unref();
  const audit = new RemoteAuditRecorder(streamChannel(auditPipe), {
    durability: config.auditDurability,
    // The primary's queue is shared: each worker may hold its part of it.
    queueLimit: Math.max(1, Math.floor(config.auditQueueLimit / options.workers)),
    logger,
    batchWindowMs: proxyBatchWindowMs(config.auditDurability, config.auditFlushIntervalMs),
  });
  // A send racing the primary's exit fails with EPIPE; 'disconnect' below is what stops this worker.
  const ignoreChannelError = (err: unknown) => {
    logger.debug({ err, workerId }, 'channel to the primary closed');
  };
  process.on('error', ignoreChannelError);
  cluster.worker?.on('error', ignoreChannelError);
  // The primary decides when workers stop; a signal sent to the whole process group is its to handle.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => undefined);
  let trent: Trent;
  try {
    await coordinator.join();
    await audit.ready();
    trent = await startTrent(config, {
      logger,
      worker: {
        workerId,
        coordinator,
        audit,
        runScheduler: workerId === 1,
        store: (local) => writingThrough(local, writes),
      },
    });
  } catch (err) {
    send({ trent: 'failed', message: (err as Error).message });
    process.exitCode = 1;
    process.disconnect();
    return;
  }
  let stopping = false;
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    trent.close().then(
      () => process.exit(code),
      (err: unknown) => {
        logger.error({ err, workerId }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  listeners.add((message) => {
    if (message.trent === 'shutdown') stop(0);
  });
  // Without its primary a worker has no audit trail and no change lock: it stops at once, since
  // nothing it answers could be audited any more.
  process.on('disconnect', () => {
    setTimeout(() => process.exit(1), ORPHAN_EXIT_MS).unref();
    stop(1);
  });
  send({ trent: 'listening', url: trent.url });
}

/** Store writes sent to the primary, each answered by `written`. */
function primaryWrites(
  post: (message: WorkerMessage) => void,
  subscribe: (listener: (message: PrimaryMessage) => void) => void,
): WriteChannel {
  const waiting = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
  let nextId = 1;
  subscribe((message) => {
    if (message.trent !== 'written') return;
    const w = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.error === undefined) w?.resolve();
    else if (message.keyQuota !== undefined) w?.reject(new KeyQuotaExceededError(message.keyQuota));
    else w?.reject(new Error(message.error));
  });
  process.on('disconnect', () => {
    for (const w of waiting.values()) w.reject(new Error('the primary is gone'));
    waiting.clear();
  });
  const ask = (message: WorkerMessage & { id: number }) =>
    new Promise<void>((resolve, reject) => {
      waiting.set(message.id, { resolve, reject });
      post(message);
    });
  return {
    apply: (writes) => ask({ trent: 'write', id: nextId++, writes }),
    recordUsage: (usage) => ask({ trent: 'usage', id: nextId++, usage }),
  };
}
