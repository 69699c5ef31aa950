// Migration 2: accounts, users and roles, access keys, session credentials, identity policies, tags.
import type { Migration } from '../migration.js';

export const migration0002: Migration = {
  version: 2,
  name: 'principals',
  sql: `
      CREATE TABLE accounts (account_id TEXT PRIMARY KEY, created_at INTEGER NOT NULL) WITHOUT ROWID;
      CREATE TABLE principals (
        arn TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts (account_id),
        kind TEXT NOT NULL CHECK (kind IN ('user', 'role')),
        name TEXT NOT NULL,
        principal_id TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL,
        UNIQUE (account_id, kind, name)
      ) WITHOUT ROWID;
      CREATE TABLE access_keys (
        access_key_id TEXT PRIMARY KEY,
        principal_arn TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('Active', 'Inactive')),
        created_at INTEGER NOT NULL,
        wrapped_secret BLOB NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX access_keys_by_principal ON access_keys (principal_arn);
      CREATE TABLE sessions (
        access_key_id TEXT PRIMARY KEY,
        principal_arn TEXT NOT NULL,
        session_name TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        wrapped_secret BLOB NOT NULL,
        token_sha256 BLOB NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX sessions_by_principal ON sessions (principal_arn);
      CREATE TABLE identity_policies (
        principal_arn TEXT NOT NULL,
        policy_name TEXT NOT NULL,
        document TEXT NOT NULL,
        PRIMARY KEY (principal_arn, policy_name)
      ) WITHOUT ROWID;
      CREATE TABLE principal_tags (
        principal_arn TEXT NOT NULL,
        tag_key TEXT NOT NULL,
        tag_value TEXT NOT NULL,
        PRIMARY KEY (principal_arn, tag_key)
      ) WITHOUT ROWID;
  `,
};
