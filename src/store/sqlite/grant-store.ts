// The SQLite grant store over the shared database handle. Writes are single statements or one
// transaction, so an acknowledged write survives a crash (the database runs synchronous=FULL).
import type { SqliteDatabase } from './database.js';
import type { GrantRow, GrantSnapshot, GrantStore, GrantTokenRow } from '../grant-store.js';

interface GrantDbRow {
  grant_id: string;
  key_id: string;
  name: string | null;
  created_at: number;
  grantee_principal: string | null;
  grantee_service_principal: string | null;
  retiring_principal: string | null;
  retiring_service_principal: string | null;
  issuing_account: string;
  operations: string;
  constraints: string | null;
}

function grantFromDb(r: GrantDbRow): GrantRow {
  return {
    grantId: r.grant_id,
    keyId: r.key_id,
    name: r.name,
    createdAt: r.created_at,
    granteePrincipal: r.grantee_principal,
    granteeServicePrincipal: r.grantee_service_principal,
    retiringPrincipal: r.retiring_principal,
    retiringServicePrincipal: r.retiring_service_principal,
    issuingAccount: r.issuing_account,
    operations: r.operations,
    constraints: r.constraints,
  };
}

/** Runs a synchronous database step as a promise, so that a failure is a rejection. */
function settle(step: () => unknown): Promise<void> {
  try {
    step();
    return Promise.resolve();
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
}

export function sqliteGrantStore(db: SqliteDatabase): GrantStore {
  const insertGrant = db.prepare(`INSERT INTO grants VALUES (@grantId, @keyId, @name, @createdAt,
    @granteePrincipal, @granteeServicePrincipal, @retiringPrincipal, @retiringServicePrincipal,
    @issuingAccount, @operations, @constraints)`);
  const insertToken = db.prepare(
    'INSERT OR IGNORE INTO grant_tokens VALUES (@grantId, @tokenHash)',
  );
  const deleteGrant = db.prepare('DELETE FROM grants WHERE grant_id = ?');
  const putGrant = db.transaction((grant: GrantRow, token: GrantTokenRow) => {
    insertGrant.run(grant);
    insertToken.run(token);
  });

  return {
    loadAll(): Promise<GrantSnapshot> {
      return Promise.resolve(grantSnapshotOf(db, undefined));
    },
    loadForKeys(keyIds) {
      return Promise.resolve(grantSnapshotOf(db, keyIds));
    },
    putGrant(grant, token) {
      return settle(() => {
        putGrant(grant, token);
      });
    },
    addToken(token) {
      return settle(() => insertToken.run(token));
    },
    deleteGrant(grantId) {
      return settle(() => deleteGrant.run(grantId));
    },
  };
}

/** Every grant and token hash (keyIds undefined), or those of grants on these keys. */
function grantSnapshotOf(db: SqliteDatabase, keyIds: readonly string[] | undefined): GrantSnapshot {
  const params = keyIds === undefined ? [] : [JSON.stringify(keyIds)];
  const onKeys = keyIds === undefined ? '' : 'WHERE key_id IN (SELECT value FROM json_each(?))';
  const grants = db
    .prepare<unknown[], GrantDbRow>(
      `SELECT * FROM grants ${onKeys} ORDER BY key_id, created_at, grant_id`,
    )
    .all(...params)
    .map(grantFromDb);
  const tokens = db
    .prepare<unknown[], { grant_id: string; token_hash: Buffer }>(
      keyIds === undefined
        ? 'SELECT * FROM grant_tokens'
        : `SELECT * FROM grant_tokens WHERE grant_id IN (SELECT grant_id FROM grants ${onKeys})`,
    )
    .all(...params)
    .map((r) => ({ grantId: r.grant_id, tokenHash: r.token_hash }));
  return { grants, tokens };
}
