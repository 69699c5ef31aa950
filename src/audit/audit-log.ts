// The audit writer: a bounded in-memory queue drained by group commit (one transaction per batch), off
// the request's critical section. It fails closed: while records cannot be written, or the queue is
// full, it reports itself unavailable so the pipeline refuses what it must not serve unaudited.
import type { AuditStore } from '../store/audit-store.js';
import type { AuditEvent } from './audit-event.js';
import { auditEntryOf, chainEntry, GENESIS_HASH, type AuditEntry } from './hash-chain.js';

export type AuditDurability = 'async' | 'sync';

export interface AuditLogger {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export interface AuditLogOptions {
  readonly store: AuditStore;
  /** 'async': durable within flushIntervalMs; 'sync': record() resolves once the record is committed. */
  readonly durability: AuditDurability;
  readonly flushIntervalMs: number;
  readonly queueLimit: number;
  readonly logger: AuditLogger;
}

/** A record could not be accepted or committed: the audit trail is unavailable. */
export class AuditUnavailableError extends Error {}

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

const MAX_BATCH = 1000;

export class AuditLog {
  readonly #options: AuditLogOptions;
  /** Entries waiting to be committed, oldest first. */
  #queue: AuditEntry[] = [];
  /** The caller waiting for each queued entry (sync mode), undefined where none waits. */
  #waiters: (Waiter | undefined)[] = [];
  #head: { seq: number; hash: string };
  #failure: unknown = undefined;
  #flushing: Promise<void> | undefined;
  #scheduled = false;
  readonly #timer: NodeJS.Timeout;
  readonly #settledListeners = new Set<(committed: boolean) => void>();

  private constructor(options: AuditLogOptions, head: { seq: number; hash: string }) {
    this.#options = options;
    this.#head = head;
    this.#timer = setInterval(() => {
      void this.flush();
    }, options.flushIntervalMs);
    this.#timer.unref();
  }

  /** Opens the writer at the end of the stored chain (or after the pruning checkpoint). */
  static async open(options: AuditLogOptions): Promise<AuditLog> {
    const last = await options.store.last();
    const checkpoint = last ? undefined : await options.store.checkpoint();
    const head = last
      ? { seq: last.seq, hash: last.hash }
      : checkpoint
        ? { seq: checkpoint.seq, hash: checkpoint.hash }
        : { seq: 0, hash: GENESIS_HASH };
    return new AuditLog(options, head);
  }

  get durability(): AuditDurability {
    return this.#options.durability;
  }

  /** False while the store refuses writes or the queue is full. */
  get isAvailable(): boolean {
    return this.#failure === undefined && this.#queue.length < this.#options.queueLimit;
  }

  /** Position and hash of the last committed record: an anchor for `trent audit verify --anchor`. */
  get head(): { readonly seq: number; readonly hash: string } {
    return this.#head;
  }

  /** Records waiting to be committed. */
  get pending(): number {
    return this.#queue.length;
  }

  /** The most records the queue holds; record() refuses more. */
  get queueLimit(): number {
    return this.#options.queueLimit;
  }

  /**
   * Calls `listener` after every commit attempt, with whether the batch was committed; by then head,
   * pending and isAvailable show the outcome. Returns the function that removes the listener.
   */
  onSettled(listener: (committed: boolean) => void): () => void {
    this.#settledListeners.add(listener);
    return () => {
      this.#settledListeners.delete(listener);
    };
  }

  #notifySettled(committed: boolean): void {
    for (const listener of this.#settledListeners) {
      try {
        listener(committed);
      } catch (err) {
        this.#options.logger.error({ err }, 'audit commit listener failed');
      }
    }
  }

  /**
   * Queues an event. In async mode resolves at once; in sync mode once the event is committed.
   * Rejects with AuditUnavailableError when the queue is full or (sync) the commit fails.
   */
  record(event: AuditEvent): Promise<void> {
    return this.recordEntry(auditEntryOf(event));
  }

  /** record() of an event already made into its entry (by a proxy, on the serving thread). */
  recordEntry(entry: AuditEntry): Promise<void> {
    if (this.#queue.length >= this.#options.queueLimit) {
      this.#options.logger.error(
        { requestId: entry.requestId, eventName: entry.eventName, queued: this.#queue.length },
        'audit trail unavailable: queue full, record dropped',
      );
      return Promise.reject(new AuditUnavailableError('audit queue full'));
    }
    if (this.#options.durability === 'sync') {
      return new Promise((resolve, reject) => {
        this.#queue.push(entry);
        this.#waiters.push({ resolve, reject });
        this.#schedule();
      });
    }
    this.#queue.push(entry);
    this.#waiters.push(undefined);
    this.#scheduleIfDue();
    return Promise.resolve();
  }

  /**
   * Queues `entries` from `start` on, as many as the queue has room for; returns how many it took. For
   * a writer that follows the outcomes through onSettled (the audit host): no promise per entry.
   */
  queueEntries(entries: readonly AuditEntry[], start: number): number {
    const end = Math.min(entries.length, start + this.#options.queueLimit - this.#queue.length);
    for (let i = start; i < end; i++) {
      this.#queue.push(entries[i] as AuditEntry);
      this.#waiters.push(undefined);
    }
    if (end <= start) return 0;
    if (this.#options.durability === 'sync') this.#schedule();
    else this.#scheduleIfDue();
    return end - start;
  }

  /** Async mode: a full batch is committed at once rather than waiting for the timer, which keeps commits small. */
  #scheduleIfDue(): void {
    if (this.#queue.length >= Math.min(MAX_BATCH, this.#options.queueLimit / 2)) this.#schedule();
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // Waiting one turn of the event loop lets concurrent requests share a commit.
    setImmediate(() => {
      this.#scheduled = false;
      void this.flush();
    });
  }

  /** Commits everything queued so far; failures are logged and retried on the next flush. */
  async flush(): Promise<void> {
    while (this.#flushing) await this.#flushing;
    while (this.#queue.length > 0) {
      this.#flushing = this.#writeBatch();
      let ok: boolean;
      try {
        ok = await this.#flushing.then(() => this.#failure === undefined);
      } finally {
        this.#flushing = undefined;
      }
      if (!ok) return;
    }
  }

  async #writeBatch(): Promise<void> {
    const batch = this.#queue.slice(0, MAX_BATCH);
    let { seq, hash } = this.#head;
    const rows = batch.map((entry) => {
      seq += 1;
      const row = chainEntry(entry, seq, hash);
      hash = row.hash;
      return row;
    });
    try {
      await this.#options.store.append(rows);
    } catch (err) {
      if (this.#failure === undefined) {
        this.#options.logger.error(
          { err, queued: this.#queue.length },
          'audit trail unavailable: cannot write records; refusing requests that need the audit trail',
        );
      }
      this.#failure = err;
      // Each waiter hears of the failure once; its entry stays queued for the next attempt.
      for (let i = 0; i < batch.length; i++) {
        this.#waiters[i]?.reject(new AuditUnavailableError('audit write failed'));
        this.#waiters[i] = undefined;
      }
      this.#notifySettled(false);
      return;
    }
    this.#head = { seq, hash };
    this.#queue.splice(0, batch.length);
    const waiters = this.#waiters.splice(0, batch.length);
    if (this.#failure !== undefined) {
      this.#options.logger.info({ seq }, 'audit trail writable again');
      this.#failure = undefined;
    }
    for (const w of waiters) w?.resolve();
    this.#notifySettled(true);
  }

  /** Stops the timer and commits what is queued (graceful shutdown). */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
    this.#options.logger.info(
      { auditAnchor: anchorOf(this.#head) },
      'audit chain head at shutdown',
    );
    if (this.#queue.length > 0) {
      this.#options.logger.error(
        { unwritten: this.#queue.length },
        'audit trail unavailable at shutdown: records could not be written',
      );
    }
  }
}

/** The `--anchor` argument naming a chain head. */
export function anchorOf(head: { readonly seq: number; readonly hash: string }): string {
  return `${String(head.seq)}:${head.hash}`;
}
