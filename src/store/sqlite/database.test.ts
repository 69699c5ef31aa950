import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { sqliteMigrations } from '../migrations/sqlite/index.js';
import { NEW_DATABASE_PAGE_SIZE, openSqliteDatabase } from './database.js';
import { sqliteStore } from './sqlite-store.js';
import { keyRow } from '../../../test/fakes/key-row.js';

const A = 'a0000000-0000-4000-8000-000000000000';
const B = 'b0000000-0000-4000-8000-000000000000';
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A database file as the releases before migration 5 left it, with two keys, one of them used. */
function databaseBeforeMigration5(): string {
  const dir = mkdtempSync(join(tmpdir(), 'trent-migrate-'));
  dirs.push(dir);
  const path = join(dir, 'trent.db');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.exec(
    'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)',
  );
  for (const m of sqliteMigrations.filter((m) => m.version < 5)) {
    db.exec(m.sql);
    db.prepare('INSERT INTO schema_migrations VALUES (?, ?)').run(m.version, 0);
  }
  const insertKey = db.prepare(`INSERT INTO keys VALUES (?, '111122223333', 'us-east-1', 0, '',
    'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT', 'AWS_KMS', 'Enabled', '{}', NULL, NULL, 0, NULL, NULL, '00', 0)`);
  insertKey.run(A);
  insertKey.run(B);
  db.prepare('INSERT INTO key_usage VALUES (?, ?, ?, ?)').run(A, 'Decrypt', 1234, 'r-a');
  db.prepare('INSERT INTO tags VALUES (?, ?, ?)').run(A, 'team', 'blue');
  db.close();
  return path;
}

describe('the SQLite migrations', () => {
  it('keeps every usage row when key_usage loses its foreign key', () => {
    const db = openSqliteDatabase(databaseBeforeMigration5());
    try {
      expect(db.prepare('SELECT * FROM key_usage').all()).toEqual([
        { key_id: A, operation: 'Decrypt', at: 1234, request_id: 'r-a' },
      ]);
      expect(db.prepare("SELECT * FROM pragma_foreign_key_list('key_usage')").all()).toEqual([]);
      expect(db.prepare("SELECT * FROM pragma_foreign_key_list('tags')").all()).toHaveLength(1);
      const versions = db
        .prepare<[], { version: number }>('SELECT version FROM schema_migrations ORDER BY version')
        .all()
        .map((r) => r.version);
      expect(versions).toEqual(sqliteMigrations.map((m) => m.version));
      expect(db.pragma('foreign_key_check')).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('deletes a key’s usage row with the key once migrated, and still its other rows', async () => {
    const store = sqliteStore(openSqliteDatabase(databaseBeforeMigration5()));
    try {
      await store.apply([{ kind: 'deleteKey', keyId: A }]);
      const left = await store.loadAll();
      expect(left.keys.map((k) => k.keyId)).toEqual([B]);
      expect(left.usage).toEqual([]);
      expect(left.tags.size).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('writes usage for a new key into the rebuilt table', async () => {
    const store = sqliteStore(openSqliteDatabase(databaseBeforeMigration5()));
    try {
      await store.apply([{ kind: 'putKey', key: keyRow('c0000000-0000-4000-8000-000000000000') }]);
      await store.recordUsage([
        { keyId: B, operation: 'Encrypt', at: 5, requestId: 'r-b' },
        { keyId: A, operation: 'Encrypt', at: 1000, requestId: 'older' },
      ]);
      const { usage } = await store.loadKeys([A, B]);
      expect(usage.sort((x, y) => x.keyId.localeCompare(y.keyId))).toEqual([
        { keyId: A, operation: 'Decrypt', at: 1234, requestId: 'r-a' },
        { keyId: B, operation: 'Encrypt', at: 5, requestId: 'r-b' },
      ]);
    } finally {
      await store.close();
    }
  });

  it('makes a new file with large pages and leaves an existing file’s page size as it was', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trent-pages-'));
    dirs.push(dir);
    const fresh = openSqliteDatabase(join(dir, 'new.db'));
    try {
      expect(fresh.pragma('page_size', { simple: true })).toBe(NEW_DATABASE_PAGE_SIZE);
      expect(fresh.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      fresh.close();
    }
    const older = openSqliteDatabase(databaseBeforeMigration5());
    try {
      expect(older.pragma('page_size', { simple: true })).toBe(4096);
      expect(older.prepare('SELECT count(*) AS n FROM keys').get()).toEqual({ n: 2 });
    } finally {
      older.close();
    }
  });
});
