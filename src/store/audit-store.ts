// Persistence for the audit trail: an append-only, hash-chained sequence of records plus one checkpoint
// left by pruning. It stores rows as given; it never builds, hashes or interprets an event.

/** One stored audit record. `event` is the canonical JSON text the hash covers. */
export interface AuditRow {
  /** Position in the chain, 1, 2, 3, … without gaps. */
  readonly seq: number;
  /** Epoch milliseconds, copied from the event for range queries. */
  readonly eventTime: number;
  readonly eventId: string;
  readonly eventName: string;
  readonly principalArn: string | null;
  /** The resources' key ARNs, space-separated, for key queries ('' when none). */
  readonly keyArns: string;
  /** null when the request succeeded. */
  readonly errorCode: string | null;
  readonly event: string;
  /** Hex SHA-256 of the previous record (or of the checkpoint). */
  readonly prevHash: string;
  readonly hash: string;
}

/** Where the remaining chain starts after pruning: the last pruned record's position and hash. */
export interface AuditCheckpoint {
  readonly seq: number;
  readonly hash: string;
  /** Epoch milliseconds when the pruning ran. */
  readonly prunedAt: number;
  /** Records older than this (epoch milliseconds) were removed. */
  readonly prunedBefore: number;
}

export interface AuditFilter {
  /** Inclusive lower bound, epoch milliseconds. */
  readonly since?: number;
  /** Exclusive upper bound, epoch milliseconds. */
  readonly until?: number;
  /** A key id or key ARN; matches records whose resources name it. */
  readonly key?: string;
  readonly principalArn?: string;
  readonly eventName?: string;
  readonly outcome?: 'success' | 'failure';
  /** Only records after this position (for paging). */
  readonly afterSeq?: number;
  readonly limit?: number;
}

export interface AuditStore {
  /** Appends the rows in one transaction, durably: when this resolves they survive a crash. */
  append(rows: readonly AuditRow[]): Promise<void>;
  /** The record with the highest position, if any. */
  last(): Promise<AuditRow | undefined>;
  checkpoint(): Promise<AuditCheckpoint | undefined>;
  /** Records matching the filter, ordered by position. */
  query(filter: AuditFilter): Promise<AuditRow[]>;
  /**
   * Removes every record with a position up to and including `checkpoint.seq` and stores the checkpoint,
   * in one transaction.
   */
  prune(checkpoint: AuditCheckpoint): Promise<number>;
}
