// The writing side of a split audit writer: one AuditLog fed by any number of proxies, each over its
// own channel. Records join the one chain in the order they reach the host. It never drops a record it
// has received: what the log's queue cannot take yet waits here, and the host reports itself
// unavailable meanwhile. It pushes every change of state to every channel.
import type { AuditEntry } from './hash-chain.js';
import type { AuditLog, AuditLogger } from './audit-log.js';
import {
  asProxyMessage,
  isAuditMessage,
  type AuditChannel,
  type HostMessage,
  type RecordMessage,
} from './audit-channel.js';

interface QueuedBatch {
  readonly id: number;
  /** Position the batch's last record gets: the batch is committed once the head reaches it. */
  readonly lastSeq: number;
  readonly sync: boolean;
  /** The proxy has been told this (sync) batch's commit failed. */
  failed: boolean;
}

interface Link {
  readonly channel: AuditChannel;
  readonly stops: (() => void)[];
  /** Batches handed to the log and not yet committed, oldest first. */
  readonly queued: QueuedBatch[];
  /** The last of this channel's batches that is committed. */
  committed: number;
  attached: boolean;
}

/** A batch the log's queue could not take whole yet. */
interface Waiting {
  readonly link: Link;
  readonly id: number;
  readonly entries: readonly AuditEntry[];
  readonly sync: boolean;
  /** How many of the events the log has taken. */
  taken: number;
  failed: boolean;
}

export class AuditHost {
  readonly #log: AuditLog;
  readonly #logger: AuditLogger;
  readonly #links = new Set<Link>();
  readonly #waiting: Waiting[] = [];
  readonly #stopSettled: () => void;
  #failing = false;
  #flushScheduled = false;
  #announcedAvailable: boolean | undefined;
  #closed = false;

  constructor(log: AuditLog, logger: AuditLogger) {
    this.#log = log;
    this.#logger = logger;
    this.#stopSettled = log.onSettled((committed) => {
      this.#settled(committed);
    });
  }

  /** True while the log accepts records and nothing waits for room in its queue. */
  get isAvailable(): boolean {
    return !this.#closed && this.#log.isAvailable && this.#waiting.length === 0;
  }

  /** Channels attached. */
  get channels(): number {
    return this.#links.size;
  }

  /**
   * Serves the proxy at the other end of `channel` (one proxy per channel). Returns the function that
   * detaches it; records it sent are committed all the same.
   */
  attach(channel: AuditChannel): () => void {
    const link: Link = { channel, stops: [], queued: [], committed: 0, attached: true };
    this.#links.add(link);
    const detach = () => {
      this.#detach(link);
    };
    link.stops.push(
      channel.onMessage((message) => {
        this.#receive(link, message);
      }),
    );
    const stopClose = channel.onClose?.(detach);
    if (stopClose) link.stops.push(stopClose);
    this.#postState(link);
    return detach;
  }

  /**
   * Commits everything received, closes the log and detaches every channel. Close the proxies first:
   * records that arrive later are refused.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#broadcastState();
    await this.#commitAll();
    await this.#log.close();
    if (this.#waiting.length > 0) {
      this.#logger.error(
        { unwritten: this.#waiting.reduce((n, w) => n + w.entries.length - w.taken, 0) },
        'audit trail unavailable at shutdown: records could not be written',
      );
    }
    this.#stopSettled();
    for (const link of [...this.#links]) this.#detach(link);
  }

  #detach(link: Link): void {
    if (!link.attached) return;
    link.attached = false;
    this.#links.delete(link);
    for (const stop of link.stops.splice(0)) stop();
  }

  #receive(link: Link, raw: unknown): void {
    const message = asProxyMessage(raw);
    if (message === undefined) {
      // Precondition: only a proxy sends audit messages; one that cannot be read is refused, and said so.
      if (isAuditMessage(raw)) {
        this.#logger.error(
          { type: raw.type.slice(0, 64) },
          'audit trail: malformed message from a proxy refused',
        );
      }
      return;
    }
    switch (message.type) {
      case 'audit.record':
        this.#accept(link, message);
        return;
      case 'audit.flush':
        void this.#commitAll()
          .catch((err: unknown) => {
            this.#logger.error({ err }, 'audit flush failed');
          })
          .then(() => {
            this.#postState(link);
            this.#post(link, { type: 'audit.flushed', flush: message.flush });
          });
        return;
      case 'audit.hello':
        this.#postState(link);
        return;
    }
  }

  #accept(link: Link, message: RecordMessage): void {
    if (this.#closed) {
      this.#logger.error(
        { dropped: message.entries.length },
        'audit trail unavailable: records arrived after the audit trail closed',
      );
      if (message.sync) this.#post(link, { type: 'audit.failed', batches: [message.batch] });
      return;
    }
    this.#waiting.push({
      link,
      id: message.batch,
      entries: message.entries,
      sync: message.sync,
      taken: 0,
      failed: false,
    });
    this.#feed();
    if (this.isAvailable !== this.#announcedAvailable) this.#broadcastState();
  }

  /** Hands waiting records to the log, oldest first, as far as its queue has room. */
  #feed(): void {
    const log = this.#log;
    while (this.#waiting.length > 0) {
      const w = this.#waiting[0];
      if (w === undefined) break;
      // Outcomes arrive through onSettled.
      w.taken += log.queueEntries(w.entries, w.taken);
      if (w.taken < w.entries.length) break;
      this.#waiting.shift();
      // The log commits in queue order, so this batch is committed once the head reaches its last record.
      w.link.queued.push({
        id: w.id,
        lastSeq: log.head.seq + log.pending,
        sync: w.sync,
        failed: w.failed,
      });
      if (w.sync) this.#scheduleFlush();
    }
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    // One turn of the event loop lets sync records from every channel share a commit.
    setImmediate(() => {
      this.#flushScheduled = false;
      void this.#log.flush();
    });
  }

  /** Commits everything received so far, or stops at the first refused commit. */
  async #commitAll(): Promise<void> {
    for (;;) {
      this.#feed();
      await this.#log.flush();
      if (this.#waiting.length === 0 || this.#failing) return;
    }
  }

  #settled(committed: boolean): void {
    this.#failing = !committed;
    const seq = this.#log.head.seq;
    for (const link of this.#links) {
      while ((link.queued[0]?.lastSeq ?? Infinity) <= seq) {
        const batch = link.queued.shift();
        if (batch !== undefined) link.committed = batch.id;
      }
    }
    if (!committed) this.#failSyncBatches();
    this.#feed();
    this.#broadcastState();
  }

  /** A commit failed: every sync batch not yet committed is answered as failed (it stays queued). */
  #failSyncBatches(): void {
    const failed = new Map<Link, number[]>();
    const note = (link: Link, batch: { id: number; sync: boolean; failed: boolean }) => {
      if (!batch.sync || batch.failed) return;
      batch.failed = true;
      const ids = failed.get(link) ?? [];
      ids.push(batch.id);
      failed.set(link, ids);
    };
    for (const link of this.#links) for (const batch of link.queued) note(link, batch);
    for (const w of this.#waiting) note(w.link, w);
    for (const [link, batches] of failed) this.#post(link, { type: 'audit.failed', batches });
  }

  #broadcastState(): void {
    this.#announcedAvailable = this.isAvailable;
    for (const link of this.#links) this.#postState(link);
  }

  #postState(link: Link): void {
    const head = this.#log.head;
    this.#post(link, {
      type: 'audit.state',
      available: this.isAvailable,
      seq: head.seq,
      hash: head.hash,
      committed: link.committed,
    });
  }

  #post(link: Link, message: HostMessage): void {
    if (!link.attached) return;
    try {
      link.channel.post(message);
    } catch (err) {
      this.#logger.warn({ err }, 'audit proxy unreachable; detached');
      this.#detach(link);
    }
  }
}
