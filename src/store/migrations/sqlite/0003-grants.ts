// Migration 3: grants on keys and the hashes of their tokens. A grant vanishes with its key.
import type { Migration } from '../migration.js';

export const migration0003: Migration = {
  version: 3,
  name: 'grants',
  sql: `
      CREATE TABLE grants (
        grant_id TEXT PRIMARY KEY,
        key_id TEXT NOT NULL REFERENCES keys (key_id) ON DELETE CASCADE,
        name TEXT,
        created_at INTEGER NOT NULL,
        grantee_principal TEXT,
        grantee_service_principal TEXT,
        retiring_principal TEXT,
        retiring_service_principal TEXT,
        issuing_account TEXT NOT NULL,
        operations TEXT NOT NULL,
        constraints TEXT
      ) WITHOUT ROWID;
      CREATE INDEX grants_by_key ON grants (key_id, created_at);
      CREATE TABLE grant_tokens (
        grant_id TEXT NOT NULL REFERENCES grants (grant_id) ON DELETE CASCADE,
        token_hash BLOB NOT NULL,
        PRIMARY KEY (grant_id, token_hash)
      ) WITHOUT ROWID;
  `,
};
