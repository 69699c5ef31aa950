// The audit writer's worker thread: its own connection to the database file, one AuditLog and the
// AuditHost serving the proxy on the serving thread. Hashing and commits (with their fsync) run here,
// off the event loop that serves requests. Started only by openAuditWriter (audit-writer.ts).
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { openSqliteDatabase, type SqliteDatabase } from '../store/sqlite/database.js';
import { sqliteAuditStore } from '../store/sqlite/audit-store.js';
import { AuditHost } from './audit-host.js';
import { AuditLog, type AuditDurability, type AuditLogger } from './audit-log.js';
import { messagePortChannel } from './audit-channel.js';

/** What the serving thread passes in `workerData`. */
export interface AuditThreadData {
  readonly databasePath: string;
  readonly durability: AuditDurability;
  readonly flushIntervalMs: number;
  readonly queueLimit: number;
  /** The audit channel's far end; the proxy holds the near one. */
  readonly port: MessagePort;
}

/** Control messages between the threads (the audit traffic itself goes over `port`). */
export type AuditThreadMessage =
  | {
      readonly type: 'log';
      readonly level: 'error' | 'warn' | 'info';
      readonly obj: object;
      readonly msg: string;
    }
  | { readonly type: 'started' }
  | { readonly type: 'startFailed'; readonly message: string }
  | { readonly type: 'closed' };

/** Errors become plain objects: a log line keeps their name, message, code and stack. */
function plainLogObject(obj: object): object {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    out[k] =
      v instanceof Error
        ? {
            type: v.name,
            message: v.message,
            stack: v.stack,
            ...((v as NodeJS.ErrnoException).code === undefined
              ? {}
              : { code: (v as NodeJS.ErrnoException).code }),
          }
        : v;
  }
  return out;
}

async function run(
  port: MessagePort & { postMessage(m: AuditThreadMessage): void },
): Promise<void> {
  const data = workerData as AuditThreadData;
  const say = (message: AuditThreadMessage) => {
    port.postMessage(message);
  };
  const logger: AuditLogger = {
    error: (obj, msg) => {
      say({ type: 'log', level: 'error', obj: plainLogObject(obj), msg });
    },
    warn: (obj, msg) => {
      say({ type: 'log', level: 'warn', obj: plainLogObject(obj), msg });
    },
    info: (obj, msg) => {
      say({ type: 'log', level: 'info', obj: plainLogObject(obj), msg });
    },
  };
  let db: SqliteDatabase | undefined;
  let host: AuditHost;
  try {
    db = openSqliteDatabase(data.databasePath);
    const log = await AuditLog.open({
      store: sqliteAuditStore(db),
      durability: data.durability,
      flushIntervalMs: data.flushIntervalMs,
      queueLimit: data.queueLimit,
      logger,
    });
    host = new AuditHost(log, logger);
  } catch (err) {
    db?.close();
    say({ type: 'startFailed', message: (err as Error).message });
    data.port.close();
    return;
  }
  host.attach(messagePortChannel(data.port));
  port.on('message', (message: { type?: unknown }) => {
    if (message.type !== 'close') return;
    void host
      .close()
      .catch((err: unknown) => {
        logger.error({ err }, 'audit trail could not be closed cleanly');
      })
      .then(() => {
        db?.close();
        data.port.close();
        // The serving thread ends this thread once it has this message.
        say({ type: 'closed' });
      });
  });
  say({ type: 'started' });
}

if (parentPort !== null) void run(parentPort);
