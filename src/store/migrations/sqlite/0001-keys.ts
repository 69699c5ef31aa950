// Migration 1: keys, their material versions, aliases, tags and last usage.
import type { Migration } from '../migration.js';

export const migration0001: Migration = {
  version: 1,
  name: 'keys',
  sql: `
      CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE keys (
        key_id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        description TEXT NOT NULL,
        key_spec TEXT NOT NULL,
        key_usage TEXT NOT NULL,
        origin TEXT NOT NULL,
        state TEXT NOT NULL,
        policy TEXT NOT NULL,
        deletion_date INTEGER,
        pending_window_in_days INTEGER,
        rotation_enabled INTEGER NOT NULL,
        rotation_period_in_days INTEGER,
        next_rotation_at INTEGER,
        current_version TEXT NOT NULL,
        on_demand_rotations INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX keys_by_account ON keys (account_id, region, key_id);
      CREATE TABLE materials (
        key_id TEXT NOT NULL REFERENCES keys (key_id) ON DELETE CASCADE,
        version TEXT NOT NULL,
        key_material_id TEXT NOT NULL,
        wrapped BLOB NOT NULL,
        created_at INTEGER NOT NULL,
        rotation_type TEXT,
        PRIMARY KEY (key_id, version)
      ) WITHOUT ROWID;
      CREATE TABLE aliases (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        alias_name TEXT NOT NULL,
        target_key_id TEXT NOT NULL REFERENCES keys (key_id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (account_id, region, alias_name)
      ) WITHOUT ROWID;
      CREATE TABLE tags (
        key_id TEXT NOT NULL REFERENCES keys (key_id) ON DELETE CASCADE,
        tag_key TEXT NOT NULL,
        tag_value TEXT NOT NULL,
        PRIMARY KEY (key_id, tag_key)
      ) WITHOUT ROWID;
      CREATE TABLE key_usage (
        key_id TEXT PRIMARY KEY REFERENCES keys (key_id) ON DELETE CASCADE,
        operation TEXT NOT NULL,
        at INTEGER NOT NULL,
        request_id TEXT NOT NULL
      ) WITHOUT ROWID;
  `,
};
