// Migration 5: key_usage without its foreign key to keys, its rows kept. Deleting a key deletes its
// usage row explicitly (sqlite-store.ts). With 100,000 keys the check of every first use against keys
// read a page of that table per row (about 40% of the cost of writing a new row, measured).
import type { Migration } from '../migration.js';

export const migration0005: Migration = {
  version: 5,
  name: 'key-usage-unreferenced',
  sql: `
      CREATE TABLE key_usage_0005 (
        key_id TEXT PRIMARY KEY,
        operation TEXT NOT NULL,
        at INTEGER NOT NULL,
        request_id TEXT NOT NULL
      ) WITHOUT ROWID;
      INSERT INTO key_usage_0005 (key_id, operation, at, request_id)
        SELECT key_id, operation, at, request_id FROM key_usage;
      DROP TABLE key_usage;
      ALTER TABLE key_usage_0005 RENAME TO key_usage;
  `,
};
