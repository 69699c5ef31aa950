// Opens the server's audit writer: with a database file, the AuditLog runs in a worker thread with its
// own connection and the serving thread holds a RemoteAuditRecorder; with an in-memory database
// (which another connection cannot open) the AuditLog runs on the serving thread.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import type { AuditStore } from '../store/audit-store.js';
import type { AuditEvent } from './audit-event.js';
import type { AuditEntry } from './hash-chain.js';
import { AuditLog, type AuditDurability, type AuditLogger } from './audit-log.js';
import { messagePortChannel } from './audit-channel.js';
import { RemoteAuditRecorder } from './remote-audit-recorder.js';
import type { AuditThreadData, AuditThreadMessage } from './audit-thread.js';

/** What the server uses of its audit writer; AuditLog and RemoteAuditRecorder both are one. */
export interface AuditWriter {
  readonly durability: AuditDurability;
  /** False while records cannot be written or the queue is full: the pipeline then fails closed. */
  readonly isAvailable: boolean;
  /** The last committed record's position and hash (the chain head). */
  readonly head: { readonly seq: number; readonly hash: string };
  record(event: AuditEvent): Promise<void>;
  /** record() of an event already made into its entry. */
  recordEntry(entry: AuditEntry): Promise<void>;
  /** Commits what is recorded so far (or tries: a refusing store leaves isAvailable false). */
  flush(): Promise<void>;
  /** Commits what is queued and stops. */
  close(): Promise<void>;
}

export interface AuditWriterOptions {
  /** The database file the audit thread opens; undefined keeps the writer on this thread. */
  readonly databasePath: string | undefined;
  /** The store an in-thread writer appends to (the server's own connection). */
  readonly store: AuditStore;
  readonly durability: AuditDurability;
  readonly flushIntervalMs: number;
  readonly queueLimit: number;
  readonly logger: AuditLogger;
}

export async function openAuditWriter(options: AuditWriterOptions): Promise<AuditWriter> {
  const { databasePath, store, ...settings } = options;
  if (databasePath === undefined || databasePath === ':memory:') {
    return AuditLog.open({ store, ...settings });
  }
  return openAuditThread(databasePath, settings);
}

/**
 * The worker thread's script. Built code runs the compiled script beside this file; the TypeScript
 * sources (run by the tests) use the build output too, as a worker thread cannot load TypeScript.
 */
function auditThreadScript(): URL {
  const here = import.meta.url;
  const script = here.endsWith('.ts')
    ? new URL('../../dist/src/audit/audit-thread.js', here)
    : new URL('./audit-thread.js', here);
  if (!existsSync(fileURLToPath(script))) {
    throw new Error(`the audit thread ${fileURLToPath(script)} is missing; run \`npm run build\``);
  }
  return script;
}

/**
 * How long a proxy gathers async records before sending them: the host then wakes once per window
 * rather than once per request. The host's flush interval is shortened by as much, so that a record is
 * still committed within the configured interval. Sync records go at once.
 */
export function proxyBatchWindowMs(durability: AuditDurability, flushIntervalMs: number): number {
  return durability === 'async' ? Math.min(5, Math.floor(flushIntervalMs / 10)) : 0;
}

async function openAuditThread(
  databasePath: string,
  settings: Omit<AuditWriterOptions, 'databasePath' | 'store'>,
): Promise<AuditWriter> {
  const { logger } = settings;
  const batchWindowMs = proxyBatchWindowMs(settings.durability, settings.flushIntervalMs);
  const { port1, port2 } = new MessageChannel();
  const data: AuditThreadData = {
    databasePath,
    durability: settings.durability,
    flushIntervalMs: settings.flushIntervalMs - batchWindowMs,
    queueLimit: settings.queueLimit,
    port: port2,
  };
  const worker = new Worker(auditThreadScript(), {
    workerData: data,
    transferList: [port2],
    // The thread's garbage is short-lived; a small young generation keeps its resident memory small
    // (about 20 MiB less after the quick benchmark) and its collections never pause the serving thread.
    resourceLimits: { maxYoungGenerationSizeMb: 4 },
  });
  let closing = false;
  const closed = new Promise<void>((resolve) => {
    worker.on('message', (message: AuditThreadMessage) => {
      if (message.type === 'log') logger[message.level](message.obj, message.msg);
      if (message.type === 'closed') resolve();
    });
    worker.once('exit', () => {
      resolve();
    });
  });
  const started = new Promise<void>((resolve, reject) => {
    worker.on('message', (message: AuditThreadMessage) => {
      if (message.type === 'started') resolve();
      if (message.type === 'startFailed') {
        reject(new Error(`cannot open the audit trail: ${message.message}`));
      }
    });
    worker.once('exit', (code) => {
      reject(new Error(`the audit thread exited at start (code ${String(code)})`));
    });
  });
  worker.on('error', (err) => {
    logger.error({ err }, 'audit thread failed');
  });
  worker.once('exit', (code) => {
    // Precondition: a thread that ends unasked leaves nothing to commit the trail, so the proxy fails closed.
    if (!closing) logger.error({ code }, 'audit trail unavailable: the audit thread exited');
    port1.close();
  });
  const recorder = new RemoteAuditRecorder(messagePortChannel(port1), {
    durability: settings.durability,
    queueLimit: settings.queueLimit,
    logger,
    batchWindowMs,
  });
  try {
    await started;
    await recorder.ready();
  } catch (err) {
    closing = true;
    await worker.terminate();
    throw err;
  }
  return {
    get durability() {
      return recorder.durability;
    },
    get isAvailable() {
      return recorder.isAvailable;
    },
    get head() {
      return recorder.head;
    },
    record: (event) => recorder.record(event),
    recordEntry: (entry) => recorder.recordEntry(entry),
    flush: () => recorder.flush(),
    async close() {
      if (closing) return;
      closing = true;
      await recorder.close();
      worker.postMessage({ type: 'close' });
      await closed;
      await worker.terminate();
    },
  };
}
