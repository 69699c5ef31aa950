// Retention: removes the oldest records while keeping the chain verifiable. Only a prefix of the chain
// is ever removed, and the checkpoint left behind holds the last removed record's position and hash.
import type { AuditStore } from '../store/audit-store.js';

export interface PruneResult {
  readonly removed: number;
  /** Position of the last removed record (the new checkpoint), if anything was removed. */
  readonly checkpointSeq?: number;
}

/**
 * Removes records older than `cutoffMs`. Event times follow request arrival while positions follow
 * commit order, so the prefix stops before the first record at or after the cutoff.
 */
export async function pruneAuditTrail(
  store: Pick<AuditStore, 'query' | 'last' | 'checkpoint' | 'prune'>,
  cutoffMs: number,
  nowMs: number,
): Promise<PruneResult> {
  const firstKept = (await store.query({ since: cutoffMs, limit: 1 }))[0];
  let last;
  if (firstKept === undefined) {
    last = await store.last();
  } else {
    last = (await store.query({ afterSeq: firstKept.seq - 2, limit: 1 }))[0];
    if (last?.seq !== firstKept.seq - 1) return { removed: 0 };
  }
  if (last === undefined) return { removed: 0 };
  const current = await store.checkpoint();
  if (current !== undefined && current.seq >= last.seq) return { removed: 0 };
  const removed = await store.prune({
    seq: last.seq,
    hash: last.hash,
    prunedAt: nowMs,
    prunedBefore: cutoffMs,
  });
  return { removed, checkpointSeq: last.seq };
}
