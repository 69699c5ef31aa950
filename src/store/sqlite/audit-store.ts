// The audit trail in the shared SQLite database: append-only rows and the pruning checkpoint.
// Appends run in one transaction per batch (group commit); synchronous=FULL makes each commit durable.
import type { SqliteDatabase } from './database.js';
import type { AuditCheckpoint, AuditFilter, AuditRow, AuditStore } from '../audit-store.js';

interface AuditDbRow {
  seq: number;
  event_time: number;
  event_id: string;
  event_name: string;
  principal_arn: string | null;
  key_arns: string;
  error_code: string | null;
  event: string;
  prev_hash: string;
  hash: string;
}

function fromDb(r: AuditDbRow): AuditRow {
  return {
    seq: r.seq,
    eventTime: r.event_time,
    eventId: r.event_id,
    eventName: r.event_name,
    principalArn: r.principal_arn,
    keyArns: r.key_arns,
    errorCode: r.error_code,
    event: r.event,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Builds the WHERE clause and parameters of a query; every value is bound, never spliced. */
function whereOf(filter: AuditFilter): { sql: string; params: (string | number)[] } {
  const clauses: string[] = [];
  const params: (string | number)[] = [];
  if (filter.afterSeq !== undefined) {
    clauses.push('seq > ?');
    params.push(filter.afterSeq);
  }
  if (filter.since !== undefined) {
    clauses.push('event_time >= ?');
    params.push(filter.since);
  }
  if (filter.until !== undefined) {
    clauses.push('event_time < ?');
    params.push(filter.until);
  }
  if (filter.key !== undefined) {
    clauses.push("(' ' || key_arns || ' ') LIKE ? ESCAPE '\\'");
    const key = likeEscape(filter.key);
    params.push(filter.key.startsWith('arn:') ? `% ${key} %` : `%/${key} %`);
  }
  if (filter.principalArn !== undefined) {
    clauses.push('principal_arn = ?');
    params.push(filter.principalArn);
  }
  if (filter.eventName !== undefined) {
    clauses.push('event_name = ?');
    params.push(filter.eventName);
  }
  if (filter.outcome === 'success') clauses.push('error_code IS NULL');
  if (filter.outcome === 'failure') clauses.push('error_code IS NOT NULL');
  return { sql: clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`, params };
}

/** The audit store over the shared database handle; it never closes the handle. */
export function sqliteAuditStore(db: SqliteDatabase): AuditStore {
  // Positional parameters: binding ten values by name costs more than the insert itself.
  const insert = db.prepare<
    [number, number, string, string, string | null, string, string | null, string, string, string]
  >(`INSERT INTO audit_records (seq, event_time, event_id, event_name, principal_arn, key_arns,
    error_code, event, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const last = db.prepare<[], AuditDbRow>('SELECT * FROM audit_records ORDER BY seq DESC LIMIT 1');
  const getCheckpoint = db.prepare<
    [],
    { seq: number; hash: string; pruned_at: number; pruned_before: number }
  >('SELECT seq, hash, pruned_at, pruned_before FROM audit_checkpoint WHERE id = 1');
  const putCheckpoint = db.prepare(`INSERT INTO audit_checkpoint VALUES (1, @seq, @hash, @prunedAt,
    @prunedBefore) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash,
    pruned_at = excluded.pruned_at, pruned_before = excluded.pruned_before`);
  const deleteUpTo = db.prepare('DELETE FROM audit_records WHERE seq <= ?');
  const appendAll = db.transaction((rows: readonly AuditRow[]) => {
    for (const r of rows)
      insert.run(
        r.seq,
        r.eventTime,
        r.eventId,
        r.eventName,
        r.principalArn,
        r.keyArns,
        r.errorCode,
        r.event,
        r.prevHash,
        r.hash,
      );
  });
  const pruneAll = db.transaction((checkpoint: AuditCheckpoint): number => {
    const removed = deleteUpTo.run(checkpoint.seq).changes;
    putCheckpoint.run(checkpoint);
    return removed;
  });

  return {
    append(rows) {
      return settle(() => {
        appendAll(rows);
      });
    },
    last() {
      return settle(() => {
        const r = last.get();
        return r ? fromDb(r) : undefined;
      });
    },
    checkpoint() {
      return settle(() => {
        const r = getCheckpoint.get();
        return r
          ? { seq: r.seq, hash: r.hash, prunedAt: r.pruned_at, prunedBefore: r.pruned_before }
          : undefined;
      });
    },
    query(filter) {
      return settle(() => {
        const { sql, params } = whereOf(filter);
        return db
          .prepare<(string | number)[], AuditDbRow>(
            `SELECT * FROM audit_records ${sql} ORDER BY seq LIMIT ?`,
          )
          .all(...params, filter.limit ?? -1)
          .map(fromDb);
      });
    },
    prune(checkpoint) {
      return settle(() => pruneAll(checkpoint));
    },
  };
}

/** Runs a synchronous database step as the async interface promises: a failure is a rejection. */
function settle<T>(step: () => T): Promise<T> {
  try {
    return Promise.resolve(step());
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
}
