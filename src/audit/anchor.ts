// Checks a verified chain against an anchor kept outside the database (a position and its hash noted
// earlier): this catches what the chain alone cannot, records cut from the end or a rewritten chain.
import type { AuditStore } from '../store/audit-store.js';
import type { ChainReport } from './verify-chain.js';

export interface AuditAnchor {
  readonly seq: number;
  readonly hash: string;
}

/** Parses `SEQ:HASH` as printed by `trent audit verify` (head: record SEQ hash HASH). */
export function parseAnchor(text: string): AuditAnchor | undefined {
  const m = /^(\d+):([0-9a-f]{64})$/.exec(text.trim());
  return m ? { seq: Number(m[1]), hash: m[2] ?? '' } : undefined;
}

/** A problem with the anchor, or undefined when the chain still holds the anchored record unchanged. */
export async function anchorProblem(
  store: Pick<AuditStore, 'query' | 'checkpoint'>,
  report: ChainReport,
  anchor: AuditAnchor,
): Promise<string | undefined> {
  if (anchor.seq > report.headSeq) {
    return `the chain ends at record ${String(report.headSeq)} but the anchor names record ${String(anchor.seq)}: records were removed from the end`;
  }
  if (anchor.seq < report.startSeq) return undefined;
  const hash =
    anchor.seq === report.startSeq
      ? (await store.checkpoint())?.hash
      : (await store.query({ afterSeq: anchor.seq - 1, limit: 1 }))[0]?.hash;
  if (hash !== anchor.hash) {
    return `record ${String(anchor.seq)} no longer has the anchored hash: the chain was rewritten`;
  }
  return undefined;
}
