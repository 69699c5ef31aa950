// The SQLite principal store over the shared database handle. Every write is one statement or one
// transaction, durable before it resolves (synchronous=FULL).
import type { SqliteDatabase } from './database.js';
import type {
  AccessKeyRow,
  AccessKeyStatus,
  PrincipalKind,
  PrincipalSnapshot,
  PrincipalStore,
} from '../principal-store.js';

interface PrincipalDbRow {
  arn: string;
  account_id: string;
  kind: PrincipalKind;
  name: string;
  principal_id: string;
  created_at: number;
}
interface AccessKeyDbRow {
  access_key_id: string;
  principal_arn: string;
  status: AccessKeyStatus;
  created_at: number;
  wrapped_secret: Buffer;
}
interface SessionDbRow {
  access_key_id: string;
  principal_arn: string;
  session_name: string;
  created_at: number;
  expires_at: number;
  wrapped_secret: Buffer;
  token_sha256: Buffer;
}

export function sqlitePrincipalStore(db: SqliteDatabase): PrincipalStore {
  const put = {
    account: db.prepare('INSERT OR IGNORE INTO accounts VALUES (?, ?)'),
    principal: db.prepare('INSERT INTO principals VALUES (?, ?, ?, ?, ?, ?)'),
    accessKey: db.prepare('INSERT INTO access_keys VALUES (?, ?, ?, ?, ?)'),
    session: db.prepare('INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?, ?)'),
    policy: db.prepare('INSERT OR REPLACE INTO identity_policies VALUES (?, ?, ?)'),
    tag: db.prepare('INSERT OR REPLACE INTO principal_tags VALUES (?, ?, ?)'),
  };
  const setStatus = db.prepare('UPDATE access_keys SET status = ? WHERE access_key_id = ?');
  const deleteKey = db.prepare('DELETE FROM access_keys WHERE access_key_id = ?');
  const deleteSession = db.prepare('DELETE FROM sessions WHERE access_key_id = ?');
  const deletePolicy = db.prepare(
    'DELETE FROM identity_policies WHERE principal_arn = ? AND policy_name = ?',
  );
  const deleteTag = db.prepare(
    'DELETE FROM principal_tags WHERE principal_arn = ? AND tag_key = ?',
  );
  const cascade = [
    'DELETE FROM access_keys WHERE principal_arn = ?',
    'DELETE FROM sessions WHERE principal_arn = ?',
    'DELETE FROM identity_policies WHERE principal_arn = ?',
    'DELETE FROM principal_tags WHERE principal_arn = ?',
    'DELETE FROM principals WHERE arn = ?',
  ].map((sql) => db.prepare(sql));
  const deletePrincipal = db.transaction((arn: string) => {
    for (const statement of cascade) statement.run(arn);
  });

  return {
    loadPrincipals(): Promise<PrincipalSnapshot> {
      const all = <R>(sql: string) => db.prepare<[], R>(sql).all();
      return Promise.resolve({
        accounts: all<{ account_id: string; created_at: number }>('SELECT * FROM accounts').map(
          (r) => ({ accountId: r.account_id, createdAt: r.created_at }),
        ),
        principals: all<PrincipalDbRow>('SELECT * FROM principals').map((r) => ({
          arn: r.arn,
          accountId: r.account_id,
          kind: r.kind,
          name: r.name,
          principalId: r.principal_id,
          createdAt: r.created_at,
        })),
        accessKeys: all<AccessKeyDbRow>('SELECT * FROM access_keys').map((r): AccessKeyRow => ({
          accessKeyId: r.access_key_id,
          principalArn: r.principal_arn,
          status: r.status,
          createdAt: r.created_at,
          wrappedSecret: r.wrapped_secret,
        })),
        sessions: all<SessionDbRow>('SELECT * FROM sessions').map((r) => ({
          accessKeyId: r.access_key_id,
          principalArn: r.principal_arn,
          sessionName: r.session_name,
          createdAt: r.created_at,
          expiresAt: r.expires_at,
          wrappedSecret: r.wrapped_secret,
          tokenSha256: r.token_sha256,
        })),
        policies: all<{ principal_arn: string; policy_name: string; document: string }>(
          'SELECT * FROM identity_policies',
        ).map((r) => ({
          principalArn: r.principal_arn,
          policyName: r.policy_name,
          document: r.document,
        })),
        tags: all<{ principal_arn: string; tag_key: string; tag_value: string }>(
          'SELECT * FROM principal_tags',
        ).map((r) => ({ principalArn: r.principal_arn, tagKey: r.tag_key, tagValue: r.tag_value })),
      });
    },
    putAccount(row) {
      put.account.run(row.accountId, row.createdAt);
      return Promise.resolve();
    },
    putPrincipal(row) {
      put.principal.run(row.arn, row.accountId, row.kind, row.name, row.principalId, row.createdAt);
      return Promise.resolve();
    },
    deletePrincipal(arn) {
      deletePrincipal(arn);
      return Promise.resolve();
    },
    putAccessKey(row) {
      put.accessKey.run(
        row.accessKeyId,
        row.principalArn,
        row.status,
        row.createdAt,
        row.wrappedSecret,
      );
      return Promise.resolve();
    },
    setAccessKeyStatus(accessKeyId, status) {
      setStatus.run(status, accessKeyId);
      return Promise.resolve();
    },
    deleteAccessKey(accessKeyId) {
      deleteKey.run(accessKeyId);
      return Promise.resolve();
    },
    putSession(row) {
      put.session.run(
        row.accessKeyId,
        row.principalArn,
        row.sessionName,
        row.createdAt,
        row.expiresAt,
        row.wrappedSecret,
        row.tokenSha256,
      );
      return Promise.resolve();
    },
    deleteSession(accessKeyId) {
      deleteSession.run(accessKeyId);
      return Promise.resolve();
    },
    putIdentityPolicy(row) {
      put.policy.run(row.principalArn, row.policyName, row.document);
      return Promise.resolve();
    },
    deleteIdentityPolicy(principalArn, policyName) {
      deletePolicy.run(principalArn, policyName);
      return Promise.resolve();
    },
    putPrincipalTag(row) {
      put.tag.run(row.principalArn, row.tagKey, row.tagValue);
      return Promise.resolve();
    },
    deletePrincipalTag(principalArn, tagKey) {
      deleteTag.run(principalArn, tagKey);
      return Promise.resolve();
    },
  };
}
