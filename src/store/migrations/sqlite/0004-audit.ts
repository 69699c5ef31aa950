// Migration 4: the hash-chained audit trail and the checkpoint that pruning leaves behind.
import type { Migration } from '../migration.js';

export const migration0004: Migration = {
  version: 4,
  name: 'audit',
  sql: `
      CREATE TABLE audit_records (
        seq INTEGER PRIMARY KEY,
        event_time INTEGER NOT NULL,
        event_id TEXT NOT NULL,
        event_name TEXT NOT NULL,
        principal_arn TEXT,
        key_arns TEXT NOT NULL,
        error_code TEXT,
        event TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE INDEX audit_records_by_time ON audit_records (event_time);
      CREATE TABLE audit_checkpoint (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq INTEGER NOT NULL,
        hash TEXT NOT NULL,
        pruned_at INTEGER NOT NULL,
        pruned_before INTEGER NOT NULL
      );
  `,
};
