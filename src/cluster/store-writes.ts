// With several workers, every key-store write goes to the primary, the one process that writes the
// database (the audit trail too): workers never wait on each other's SQLite write lock, and writes
// that arrive together share one transaction and one fsync. Reads stay in each worker.
import type { KeyUsageRow, MaterialRow, Store, StoreWrite } from '../store/store.js';

/** A StoreWrite as JSON carries it: wrapped material as base64. */
export type WireWrite =
  | Exclude<StoreWrite, { kind: 'putMaterial' }>
  | {
      readonly kind: 'putMaterial';
      readonly material: Omit<MaterialRow, 'wrapped'> & { readonly wrapped: string };
    };

export function toWire(write: StoreWrite): WireWrite {
  return write.kind === 'putMaterial'
    ? {
        kind: 'putMaterial',
        material: { ...write.material, wrapped: write.material.wrapped.toString('base64') },
      }
    : write;
}

export function fromWire(write: WireWrite): StoreWrite {
  return write.kind === 'putMaterial'
    ? {
        kind: 'putMaterial',
        material: { ...write.material, wrapped: Buffer.from(write.material.wrapped, 'base64') },
      }
    : write;
}

/**
 * Usage rows as JSON carries them: one flat array, per row its key id, operation, time less `since`
 * and request id. With many keys in use a batch is thousands of rows: a flat array of texts and small
 * numbers costs both ends less to write and read than an object per row (measured about a fifth less
 * CPU per row for the worker and a third less for the primary; docs/benchmarks.md).
 */
export interface WireUsage {
  readonly since: number;
  readonly rows: readonly (string | number)[];
}

const USAGE_FIELDS = 4;

export function usageToWire(rows: readonly KeyUsageRow[]): WireUsage {
  const since = rows[0]?.at ?? 0;
  const flat = new Array<string | number>(rows.length * USAGE_FIELDS);
  let i = 0;
  for (const r of rows) {
    flat[i++] = r.keyId;
    flat[i++] = r.operation;
    flat[i++] = r.at - since;
    flat[i++] = r.requestId;
  }
  return { since, rows: flat };
}

/** The rows of a wire batch (as a worker sent it: unchecked), or undefined unless it is a WireUsage
 *  whose every row has its four fields of the right type. */
export function usageFromWire(wire: unknown): KeyUsageRow[] | undefined {
  if (typeof wire !== 'object' || wire === null) return undefined;
  const { since, rows: flat } = wire as { since?: unknown; rows?: unknown };
  if (typeof since !== 'number' || !Number.isSafeInteger(since)) return undefined;
  if (!Array.isArray(flat) || flat.length % USAGE_FIELDS !== 0) return undefined;
  const rows: KeyUsageRow[] = [];
  for (let i = 0; i < flat.length; i += USAGE_FIELDS) {
    const keyId: unknown = flat[i];
    const operation: unknown = flat[i + 1];
    const offset: unknown = flat[i + 2];
    const requestId: unknown = flat[i + 3];
    if (
      typeof keyId !== 'string' ||
      typeof operation !== 'string' ||
      typeof offset !== 'number' ||
      typeof requestId !== 'string'
    )
      return undefined;
    const at = since + offset;
    if (!Number.isSafeInteger(at)) return undefined;
    rows.push({ keyId, operation, at, requestId });
  }
  return rows;
}

/** How a worker's store reaches the primary. */
export interface WriteChannel {
  apply(writes: readonly WireWrite[]): Promise<void>;
  recordUsage(usage: WireUsage): Promise<void>;
}

/** The worker's store: reads from its own connection, writes through the primary. */
export function writingThrough(store: Store, channel: WriteChannel): Store {
  return {
    apply: (writes) => channel.apply(writes.map(toWire)),
    recordUsage: (rows) => channel.recordUsage(usageToWire(rows)),
    loadAll: () => store.loadAll(),
    loadKeys: (ids) => store.loadKeys(ids),
    getMeta: (name) => store.getMeta(name),
    setMeta: (name, value) => store.setMeta(name, value),
    wipe: () => store.wipe(),
    close: () => store.close(),
  };
}

interface Pending {
  readonly writes: readonly StoreWrite[];
  readonly done: (error?: Error) => void;
}

/**
 * The primary's side: applies workers' writes in arrival order, those that arrive in one turn of the
 * event loop in one transaction. If that transaction fails, each request is applied on its own, so
 * that one bad request fails alone.
 */
export class WriteBatcher {
  readonly #store: Store;
  #queue: Pending[] = [];
  #scheduled = false;

  constructor(store: Store) {
    this.#store = store;
  }

  apply(writes: readonly StoreWrite[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({
        writes,
        done: (error) => {
          if (error) reject(error);
          else resolve();
        },
      });
      if (this.#scheduled) return;
      this.#scheduled = true;
      setImmediate(() => {
        this.#scheduled = false;
        void this.#flush();
      });
    });
  }

  async #flush(): Promise<void> {
    const batch = this.#queue;
    this.#queue = [];
    if (batch.length === 0) return;
    try {
      await this.#store.apply(batch.flatMap((p) => p.writes));
      for (const p of batch) p.done();
      return;
    } catch {
      // Find the request that failed: each alone.
    }
    for (const p of batch) {
      try {
        await this.#store.apply(p.writes);
        p.done();
      } catch (err) {
        p.done(err instanceof Error ? err : new Error(String(err)));
      }
    }
  }
}
