import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeGrantStoreContract } from '../../../test/contracts/grant-store-contract.js';
import { openSqliteDatabase, type SqliteDatabase } from './database.js';
import { sqliteGrantStore } from './grant-store.js';

describeGrantStoreContract('SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trent-grant-store-'));
  const path = join(dir, 'trent.db');
  let db: SqliteDatabase = openSqliteDatabase(path);
  const insertKey = (keyId: string) =>
    db
      .prepare(
        `INSERT INTO keys VALUES (?, '111122223333', 'us-east-1', 0, '', 'SYMMETRIC_DEFAULT',
          'ENCRYPT_DECRYPT', 'AWS_KMS', 'Enabled', '{}', NULL, NULL, 0, NULL, NULL, 'v', 0)`,
      )
      .run(keyId);
  return Promise.resolve({
    store: sqliteGrantStore(db),
    addKey(keyId) {
      insertKey(keyId);
      return Promise.resolve();
    },
    deleteKey(keyId) {
      db.prepare('DELETE FROM keys WHERE key_id = ?').run(keyId);
      return Promise.resolve();
    },
    reopen() {
      db.close();
      db = openSqliteDatabase(path);
      return Promise.resolve(sqliteGrantStore(db));
    },
    close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  });
});
