// Accounts, principals and credentials: store round trips, secrets wrapped, resolution rules.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../test/fakes/fake-clock.js';
import { KmsError } from '../../errors.js';
import { generateRootKey } from '../../root/root-key.js';
import { openSqliteDatabase } from '../../store/sqlite/database.js';
import { sqlitePrincipalStore } from '../../store/sqlite/principal-store.js';
import { CredentialAdmin, CredentialAdminError } from './credential-admin.js';
import { PrincipalRegistry } from './principal-registry.js';

const ACCOUNT = '111122223333';

async function setup() {
  const db = openSqliteDatabase(':memory:');
  const store = sqlitePrincipalStore(db);
  const root = generateRootKey();
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const admin = new CredentialAdmin(store, new PrincipalRegistry('aws', root), root, clock);
  await admin.createAccount(ACCOUNT);
  const reload = async () => {
    const registry = new PrincipalRegistry('aws', root);
    registry.load(await store.loadPrincipals());
    return registry;
  };
  return { db, admin, clock, reload, registry: admin.registry };
}

function typeOf(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    return err instanceof KmsError ? err.type : String(err);
  }
  return 'none';
}

describe('credentials', () => {
  it('resolve an active access key to its user, and refuse it inactive or with a session token', async () => {
    const { admin, registry, clock } = await setup();
    const user = await admin.createPrincipal(ACCOUNT, 'user', 'alice');
    const key = await admin.createAccessKey(user.arn);
    expect(
      registry.resolveCredential(key.accessKeyId, undefined, clock.now()).principal,
    ).toMatchObject({
      accountId: ACCOUNT,
      arn: 'arn:aws:iam::111122223333:user/alice',
      userId: user.principalId,
      principalType: 'User',
      accessKeyId: key.accessKeyId,
    });
    expect(typeOf(() => registry.resolveCredential(key.accessKeyId, 'token', clock.now()))).toBe(
      'UnrecognizedClientException',
    );
    await admin.setAccessKeyStatus(key.accessKeyId, 'Inactive');
    expect(typeOf(() => registry.resolveCredential(key.accessKeyId, undefined, clock.now()))).toBe(
      'UnrecognizedClientException',
    );
  });

  it('check the session token before the expiry of session credentials', async () => {
    const { admin, registry, clock } = await setup();
    const role = await admin.createPrincipal(ACCOUNT, 'role', 'app');
    const s = await admin.createSession(role.arn, { sessionName: 'run', durationSeconds: 900 });
    expect(
      registry.resolveCredential(s.accessKeyId, s.sessionToken, clock.now()).principal.arn,
    ).toBe('arn:aws:sts::111122223333:assumed-role/app/run');
    clock.advance(900_000);
    expect(
      typeOf(() => registry.resolveCredential(s.accessKeyId, s.sessionToken, clock.now())),
    ).toBe('ExpiredTokenException');
    expect(typeOf(() => registry.resolveCredential(s.accessKeyId, 'forged', clock.now()))).toBe(
      'UnrecognizedClientException',
    );
    expect(typeOf(() => registry.resolveCredential(s.accessKeyId, undefined, clock.now()))).toBe(
      'UnrecognizedClientException',
    );
  });

  it('prune sessions a day after their expiry, not before', async () => {
    const { admin, registry, clock, reload } = await setup();
    const user = await admin.createPrincipal(ACCOUNT, 'user', 'u');
    const s = await admin.createSession(user.arn, { durationSeconds: 900 });
    clock.advance(900_000 + 23 * 3600_000);
    expect(await admin.pruneExpiredSessions()).toBe(0);
    clock.advance(3600_000 + 1);
    expect(await admin.pruneExpiredSessions()).toBe(1);
    expect(registry.sessions.has(s.accessKeyId)).toBe(false);
    expect((await reload()).sessions.size).toBe(0);
  });

  it('store secrets only wrapped, bound to their access key id', async () => {
    const { db, admin, reload } = await setup();
    const user = await admin.createPrincipal(ACCOUNT, 'user', 'alice');
    const a = await admin.createAccessKey(user.arn);
    const b = await admin.createAccessKey(user.arn);
    const s = await admin.createSession(user.arn);
    const dump =
      JSON.stringify(db.prepare('SELECT * FROM access_keys').all()) +
      JSON.stringify(db.prepare('SELECT * FROM sessions').all());
    for (const secret of [
      a.secretAccessKey,
      b.secretAccessKey,
      s.secretAccessKey,
      s.sessionToken,
    ]) {
      expect(dump.includes(secret)).toBe(false);
      expect(dump.includes(Buffer.from(secret).toString('hex'))).toBe(false);
    }
    const reloaded = await reload();
    expect(reloaded.resolveCredential(a.accessKeyId, undefined, 0).principal.arn).toBe(user.arn);
    // Swapping two wrapped secrets breaks both: the AAD names the access key id.
    const rows = db
      .prepare<[], { access_key_id: string; wrapped_secret: Buffer }>('SELECT * FROM access_keys')
      .all();
    const swap = db.prepare('UPDATE access_keys SET wrapped_secret = ? WHERE access_key_id = ?');
    swap.run(rows[1]!.wrapped_secret, rows[0]!.access_key_id);
    await expect(reload()).rejects.toThrow();
  });

  it('answer identity policies and tags for users, roles and their sessions', async () => {
    const { admin, registry, reload } = await setup();
    const role = await admin.createPrincipal(ACCOUNT, 'role', 'app');
    await admin.attachPolicy(role.arn, 'p1', '{"Version":"2012-10-17","Statement":[]}');
    await admin.tagPrincipal(role.arn, 'team', 'blue');
    const session = 'arn:aws:sts::111122223333:assumed-role/app/s1';
    expect(registry.identityPolicies(session)).toEqual(['{"Version":"2012-10-17","Statement":[]}']);
    expect(registry.principalTags(session)).toEqual({ team: 'blue' });
    expect((await reload()).identityPolicies(role.arn)).toHaveLength(1);
    await admin.detachPolicy(role.arn, 'p1');
    expect(registry.identityPolicies(role.arn)).toEqual([]);
    expect(registry.exists(role.arn)).toBe(true);
    expect(registry.exists('arn:aws:iam::111122223333:root')).toBe(true);
    expect(registry.exists('arn:aws:iam::999999999999:root')).toBe(false);
    expect(registry.exists('arn:aws:iam::111122223333:user/nobody')).toBe(false);
  });

  it('delete a principal with its keys, sessions, policies and tags', async () => {
    const { admin, registry, reload } = await setup();
    const user = await admin.createPrincipal(ACCOUNT, 'user', 'gone');
    const key = await admin.createAccessKey(user.arn);
    await admin.createSession(user.arn);
    await admin.attachPolicy(user.arn, 'p', '{}');
    await admin.deletePrincipal(user.arn);
    expect(registry.accessKeys.size + registry.sessions.size).toBe(0);
    const reloaded = await reload();
    expect(reloaded.accessKeys.has(key.accessKeyId)).toBe(false);
    expect(reloaded.identityPolicies(user.arn)).toEqual([]);
  });

  it('refuse bad names, duplicates, role access keys and unknown accounts', async () => {
    const { admin } = await setup();
    const role = await admin.createPrincipal(ACCOUNT, 'role', 'r');
    await expect(admin.createPrincipal(ACCOUNT, 'role', 'r')).rejects.toBeInstanceOf(
      CredentialAdminError,
    );
    await expect(admin.createPrincipal(ACCOUNT, 'user', 'a b')).rejects.toBeInstanceOf(
      CredentialAdminError,
    );
    await expect(admin.createPrincipal('999999999999', 'user', 'x')).rejects.toBeInstanceOf(
      CredentialAdminError,
    );
    await expect(admin.createAccessKey(role.arn)).rejects.toBeInstanceOf(CredentialAdminError);
    await expect(admin.createAccount('12345')).rejects.toBeInstanceOf(CredentialAdminError);
    await expect(admin.createSession(role.arn, { durationSeconds: 60 })).rejects.toBeInstanceOf(
      CredentialAdminError,
    );
  });
});
