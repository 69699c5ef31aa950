// Checks the whole audit chain: positions without gaps, each record linked to the one before (or to the
// pruning checkpoint), each hash matching its content, and the index columns matching the event.
import type { AuditRow, AuditStore } from '../store/audit-store.js';
import type { AuditEvent } from './audit-event.js';
import { canonicalJson, chainHash, GENESIS_HASH, indexColumnsOf } from './hash-chain.js';

export interface BrokenRecord {
  readonly seq: number;
  readonly eventId: string;
  readonly reason: string;
}

export interface ChainReport {
  readonly records: number;
  /** Where verification started: 0 (the beginning) or the checkpoint's position. */
  readonly startSeq: number;
  /** Position and hash of the last record (or of the start when there are none). */
  readonly headSeq: number;
  readonly headHash: string;
  readonly broken?: BrokenRecord;
}

const PAGE = 1000;

export async function verifyAuditChain(
  store: Pick<AuditStore, 'query' | 'checkpoint'>,
): Promise<ChainReport> {
  const checkpoint = await store.checkpoint();
  const startSeq = checkpoint?.seq ?? 0;
  let expectedSeq = startSeq + 1;
  let prevHash = checkpoint?.hash ?? GENESIS_HASH;
  let records = 0;
  // Precondition: no record may sit at or before the checkpoint.
  const first = (await store.query({ limit: 1 }))[0];
  if (first !== undefined && first.seq <= startSeq) {
    return {
      records,
      startSeq,
      headSeq: startSeq,
      headHash: prevHash,
      broken: { seq: first.seq, eventId: first.eventId, reason: 'it precedes the checkpoint' },
    };
  }
  for (;;) {
    const rows = await store.query({ afterSeq: expectedSeq - 1, limit: PAGE });
    if (rows.length === 0) break;
    for (const row of rows) {
      const reason = problemOf(row, expectedSeq, prevHash);
      if (reason !== undefined) {
        return {
          records,
          startSeq,
          headSeq: expectedSeq - 1,
          headHash: prevHash,
          broken: { seq: row.seq, eventId: row.eventId, reason },
        };
      }
      records += 1;
      expectedSeq = row.seq + 1;
      prevHash = row.hash;
    }
  }
  return { records, startSeq, headSeq: expectedSeq - 1, headHash: prevHash };
}

function problemOf(row: AuditRow, expectedSeq: number, prevHash: string): string | undefined {
  if (row.seq !== expectedSeq) {
    return `expected record ${String(expectedSeq)} here: records are missing`;
  }
  if (row.prevHash !== prevHash) return 'its previous-hash does not match the record before it';
  if (chainHash(row.seq, row.prevHash, row.event) !== row.hash) {
    return 'its hash does not match its content';
  }
  let event: AuditEvent;
  try {
    event = JSON.parse(row.event) as AuditEvent;
  } catch {
    return 'its event is not valid JSON';
  }
  if (canonicalJson(event) !== row.event) return 'its event is not in canonical form';
  const columns = indexColumnsOf(event);
  if (
    columns.eventTime !== row.eventTime ||
    columns.eventId !== row.eventId ||
    columns.eventName !== row.eventName ||
    columns.principalArn !== row.principalArn ||
    columns.keyArns !== row.keyArns ||
    columns.errorCode !== row.errorCode
  ) {
    return 'its index columns do not match its event';
  }
  return undefined;
}
