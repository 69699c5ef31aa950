import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeAuditStoreContract } from '../../../test/contracts/audit-store-contract.js';
import { openSqliteDatabase, type SqliteDatabase } from './database.js';
import { sqliteAuditStore } from './audit-store.js';

describeAuditStoreContract('SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trent-audit-store-'));
  const path = join(dir, 'trent.db');
  let db: SqliteDatabase = openSqliteDatabase(path);
  return Promise.resolve({
    store: sqliteAuditStore(db),
    reopen() {
      db.close();
      db = openSqliteDatabase(path);
      return Promise.resolve(sqliteAuditStore(db));
    },
    close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  });
});
