// The serving side of a split audit writer: hands events to an AuditHost over a channel, one message
// per turn of the event loop, and keeps the same promises as AuditLog. It fails closed: it reports
// itself unavailable until the host says it accepts records, while the host says it does not, while
// its own uncommitted records reach the queue limit, and for good once the channel is gone.
import type { AuditEvent } from './audit-event.js';
import { AuditUnavailableError, type AuditDurability, type AuditLogger } from './audit-log.js';
import { asHostMessage, type AuditChannel, type PackedRecordMessage } from './audit-channel.js';
import { auditEntryOf, GENESIS_HASH, type AuditEntry } from './hash-chain.js';
import { packedEntry } from './packed-entries.js';

export interface RemoteAuditRecorderOptions {
  /** 'async': record() resolves at once; 'sync': once the host has committed the record. */
  readonly durability: AuditDurability;
  /** The most records of this proxy not yet committed by the host; record() refuses more. */
  readonly queueLimit: number;
  readonly logger: AuditLogger;
  /**
   * Async mode: how long records may gather before they are sent (default 0: one message per turn of
   * the event loop). A few milliseconds spare the host a wake-up per request at low concurrency; the
   * window adds to the time until a record is committed.
   */
  readonly batchWindowMs?: number;
}

/** A message never carries more records than this, however short the window. */
const MAX_MESSAGE_RECORDS = 1000;
/** The first batch's buffer (records of about 1.3 KB; later batches start at what the last one used). */
const FIRST_BATCH_BUFFER_BYTES = 64 * 1024;
/** A UTF-16 code unit takes at most 3 bytes in UTF-8. */
const MAX_UTF8_BYTES_PER_UNIT = 3;

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

interface SentBatch {
  readonly id: number;
  readonly count: number;
  /** Sync records' callers; emptied once the batch is committed or its commit failed. */
  waiters: Waiter[];
}

interface HostState {
  readonly available: boolean;
  readonly head: { readonly seq: number; readonly hash: string };
}

export class RemoteAuditRecorder {
  readonly #channel: AuditChannel;
  readonly #options: RemoteAuditRecorderOptions;
  readonly #unsubscribe: (() => void)[] = [];
  /**
   * Recorded this turn, not yet sent: their packed texts back to back as UTF-8 (the first #unsentBytes
   * of #unsentPacked), and how many. Written entry by entry, so that sending never walks a string
   * built of thousands of pieces (measuring it alone cost about 0.9 µs per entry).
   */
  #unsentPacked: Buffer | undefined;
  #unsentBytes = 0;
  #unsentCount = 0;
  /** The size a batch's buffer starts at: what the last batch needed, so that it seldom grows. */
  #batchBufferBytes = FIRST_BATCH_BUFFER_BYTES;
  #unsentWaiters: Waiter[] = [];
  #scheduled = false;
  /** Sent, not yet committed, oldest first. */
  readonly #sent: SentBatch[] = [];
  /** Records recorded and not yet committed (unsent and sent). */
  #uncommitted = 0;
  #nextBatch = 1;
  #nextFlush = 1;
  readonly #flushWaiters = new Map<number, () => void>();
  #host: HostState | undefined;
  #readyWaiters: Waiter[] = [];
  #lost = false;
  #closed = false;

  constructor(channel: AuditChannel, options: RemoteAuditRecorderOptions) {
    this.#channel = channel;
    this.#options = options;
    this.#unsubscribe.push(
      channel.onMessage((message) => {
        this.#receive(message);
      }),
    );
    const stopClose = channel.onClose?.(() => {
      this.#loseHost('the audit host is gone');
    });
    if (stopClose) this.#unsubscribe.push(stopClose);
    this.#post({ type: 'audit.hello' });
  }

  get durability(): AuditDurability {
    return this.#options.durability;
  }

  /** False until the host has said it accepts records, while it does not, or while this queue is full. */
  get isAvailable(): boolean {
    return (
      !this.#closed &&
      !this.#lost &&
      this.#host?.available === true &&
      this.#uncommitted < this.#options.queueLimit
    );
  }

  /** The last committed head the host reported. */
  get head(): { readonly seq: number; readonly hash: string } {
    return this.#host?.head ?? { seq: 0, hash: GENESIS_HASH };
  }

  /** Records of this proxy not yet committed. */
  get pending(): number {
    return this.#uncommitted;
  }

  /** Resolves once the host has reported its state; rejects if the channel is gone first. */
  ready(): Promise<void> {
    if (this.#host !== undefined) return Promise.resolve();
    if (this.#lost) return Promise.reject(new AuditUnavailableError('the audit host is gone'));
    return new Promise((resolve, reject) => {
      this.#readyWaiters.push({ resolve, reject });
    });
  }

  /**
   * Sends an event to the host. In async mode resolves at once; in sync mode once the host has
   * committed it. Rejects with AuditUnavailableError when this queue is full, the recorder is closed
   * or the host is gone, or (sync) the commit fails.
   */
  record(event: AuditEvent): Promise<void> {
    // Made into its entry here: a few strings cross to the host instead of the event's object tree.
    return this.recordEntry(auditEntryOf(event));
  }

  /** record() of an event already made into its entry (the request pipeline makes its own). */
  recordEntry(entry: AuditEntry): Promise<void> {
    if (this.#closed || this.#lost) {
      this.#options.logger.error(
        { requestId: entry.requestId, eventName: entry.eventName },
        'audit trail unavailable: writer closed, record dropped',
      );
      return Promise.reject(new AuditUnavailableError('audit writer closed'));
    }
    if (this.#uncommitted >= this.#options.queueLimit) {
      this.#options.logger.error(
        { requestId: entry.requestId, eventName: entry.eventName, queued: this.#uncommitted },
        'audit trail unavailable: queue full, record dropped',
      );
      return Promise.reject(new AuditUnavailableError('audit queue full'));
    }
    const packed = packedEntry(entry);
    // Precondition: an entry the host could not read is refused here, not lost with its whole batch.
    if (packed === undefined) {
      this.#options.logger.error(
        { requestId: entry.requestId, eventName: entry.eventName },
        'audit trail unavailable: malformed record dropped',
      );
      return Promise.reject(new AuditUnavailableError('audit record malformed'));
    }
    this.#uncommitted += 1;
    this.#append(packed);
    this.#unsentCount += 1;
    this.#schedule();
    if (this.#options.durability === 'async') return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#unsentWaiters.push({ resolve, reject });
    });
  }

  /**
   * Resolves once the host has tried to commit everything recorded so far: committed, or refused by
   * the store (then isAvailable is false and the host keeps the records to retry).
   */
  flush(): Promise<void> {
    if (this.#lost || this.#closed) return Promise.resolve();
    this.#send();
    const flush = this.#nextFlush++;
    return new Promise((resolve) => {
      this.#flushWaiters.set(flush, resolve);
      this.#post({ type: 'audit.flush', flush });
    });
  }

  /** Sends and commits what is recorded, then stops: later records are refused. The host stays open. */
  async close(): Promise<void> {
    if (this.#closed) return;
    await this.flush();
    this.#closed = true;
    if (this.#uncommitted > 0 && !this.#lost) {
      this.#options.logger.warn(
        { uncommitted: this.#uncommitted },
        'audit records not yet committed at close; the audit host keeps them to retry',
      );
    }
    this.#rejectAll('audit writer closed');
    for (const stop of this.#unsubscribe.splice(0)) stop();
  }

  #schedule(): void {
    if (this.#unsentCount >= MAX_MESSAGE_RECORDS) {
      this.#send();
      return;
    }
    if (this.#scheduled) return;
    this.#scheduled = true;
    const send = () => {
      this.#scheduled = false;
      this.#send();
    };
    const windowMs = this.#options.durability === 'async' ? (this.#options.batchWindowMs ?? 0) : 0;
    // Waiting one turn of the event loop (or the window) lets the records of concurrent requests share a message.
    if (windowMs > 0) setTimeout(send, windowMs);
    else setImmediate(send);
  }

  #send(): void {
    if (this.#unsentCount === 0 || this.#lost) return;
    const batch: SentBatch = {
      id: this.#nextBatch++,
      count: this.#unsentCount,
      waiters: this.#unsentWaiters,
    };
    const message: PackedRecordMessage = {
      type: 'audit.record',
      batch: batch.id,
      count: batch.count,
      packed: (this.#unsentPacked as Buffer).subarray(0, this.#unsentBytes),
      sync: this.#options.durability === 'sync',
    };
    // Each batch has a buffer of its own: the channel may still hold this one after post().
    this.#batchBufferBytes = Math.max(FIRST_BATCH_BUFFER_BYTES, this.#unsentBytes);
    this.#unsentPacked = undefined;
    this.#unsentBytes = 0;
    this.#unsentCount = 0;
    this.#unsentWaiters = [];
    this.#sent.push(batch);
    this.#post(message);
  }

  /** Adds a packed text to the unsent batch's bytes. */
  #append(text: string): void {
    const most = text.length * MAX_UTF8_BYTES_PER_UNIT;
    let bytes = this.#unsentPacked;
    if (bytes === undefined || this.#unsentBytes + most > bytes.length) {
      // Zero-filled: nothing but what was written here ever leaves this process.
      const grown = Buffer.alloc(Math.max(this.#batchBufferBytes, 2 * (this.#unsentBytes + most)));
      bytes?.copy(grown, 0, 0, this.#unsentBytes);
      this.#unsentPacked = bytes = grown;
    }
    this.#unsentBytes += bytes.write(text, this.#unsentBytes, 'utf8');
  }

  #post(message: unknown): void {
    try {
      this.#channel.post(message);
    } catch (err) {
      this.#loseHost(`cannot reach the audit host: ${(err as Error).message}`);
    }
  }

  #receive(raw: unknown): void {
    const message = asHostMessage(raw);
    if (message === undefined) return;
    switch (message.type) {
      case 'audit.state': {
        this.#host = {
          available: message.available,
          head: { seq: message.seq, hash: message.hash },
        };
        while (this.#sent.length > 0 && (this.#sent[0]?.id ?? Infinity) <= message.committed) {
          const batch = this.#sent.shift();
          if (batch === undefined) break;
          this.#uncommitted -= batch.count;
          for (const w of batch.waiters) w.resolve();
        }
        for (const w of this.#readyWaiters.splice(0)) w.resolve();
        return;
      }
      case 'audit.failed': {
        const failed = new Set(message.batches);
        for (const batch of this.#sent) {
          if (!failed.has(batch.id)) continue;
          for (const w of batch.waiters) w.reject(new AuditUnavailableError('audit write failed'));
          batch.waiters = [];
        }
        return;
      }
      case 'audit.flushed': {
        const resolve = this.#flushWaiters.get(message.flush);
        this.#flushWaiters.delete(message.flush);
        resolve?.();
        return;
      }
    }
  }

  /** The channel is gone: nothing more can be committed, so refuse everything from now on. */
  #loseHost(reason: string): void {
    if (this.#lost || this.#closed) return;
    this.#lost = true;
    this.#options.logger.error(
      { uncommitted: this.#uncommitted },
      `audit trail unavailable: ${reason}; refusing requests that need the audit trail`,
    );
    this.#rejectAll(reason);
    for (const w of this.#readyWaiters.splice(0)) w.reject(new AuditUnavailableError(reason));
    for (const resolve of this.#flushWaiters.values()) resolve();
    this.#flushWaiters.clear();
  }

  #rejectAll(reason: string): void {
    const waiters = [...this.#unsentWaiters, ...this.#sent.flatMap((b) => b.waiters)];
    this.#unsentWaiters = [];
    for (const b of this.#sent) b.waiters = [];
    for (const w of waiters) w.reject(new AuditUnavailableError(reason));
  }
}
