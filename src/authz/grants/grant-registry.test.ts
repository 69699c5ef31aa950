import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Keyring } from '../../keys/keyring.js';
import { generateRootKey, type RootKey } from '../../root/root-key.js';
import { openSqliteDatabase, type SqliteDatabase } from '../../store/sqlite/database.js';
import { sqliteGrantStore } from '../../store/sqlite/grant-store.js';
import { sqliteStore } from '../../store/sqlite/sqlite-store.js';
import type { Store } from '../../store/store.js';
import type { GrantSpec } from './grant.js';
import { GrantRegistry } from './grant-registry.js';
import { keyRow } from '../../../test/fakes/key-row.js';

const KEY_ID = '11111111-2222-3333-4444-555555555555';
const ALICE = 'arn:aws:iam::111122223333:user/alice';

let dir: string;
let db: SqliteDatabase;
let store: Store;
let keyring: Keyring;
const root: RootKey = generateRootKey();

async function open(path: string, grantsPerKey?: number): Promise<GrantRegistry> {
  db = openSqliteDatabase(path);
  store = sqliteStore(db);
  keyring = await Keyring.open(store, root, 'aws');
  return GrantRegistry.open({
    store: sqliteGrantStore(db),
    keyExists: (id) => keyring.get(id) !== undefined,
    ...(grantsPerKey !== undefined ? { grantsPerKey } : {}),
  });
}

async function addKey(keyId = KEY_ID): Promise<void> {
  const material = keyring.newMaterial(keyId, 0, null, Buffer.alloc(32, 7));
  await keyring.createKey(keyRow(keyId, { currentVersion: material.version }), material, []);
}

function spec(overrides: Partial<GrantSpec> = {}): GrantSpec {
  return {
    keyId: KEY_ID,
    granteePrincipal: ALICE,
    issuingAccount: 'arn:aws:iam::111122223333:root',
    operations: new Set(['Decrypt', 'Encrypt'] as const),
    constraints: { encryptionContextSubset: { tenant: 't1' } },
    ...overrides,
  };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trent-grants-'));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the grant registry', () => {
  it('keeps grants and their tokens across a restart', async () => {
    const path = join(dir, 'trent.db');
    let registry = await open(path);
    await addKey();
    const issued = await registry.issue(spec({ name: 'n', retiringPrincipal: ALICE }), 1000);
    await store.close();
    registry = await open(path);
    const again = registry.get(issued.grant.grantId);
    expect(again).toEqual(issued.grant);
    expect(registry.grantOfToken(issued.grantToken).grantId).toBe(issued.grant.grantId);
    expect(registry.retirableBy(ALICE).map((g) => g.grantId)).toEqual([issued.grant.grantId]);
    expect(registry.retirableBy('arn:aws:iam::111122223333:user/bob')).toEqual([]);
  });

  it('reuses a named grant with identical parameters and adds a token to it', async () => {
    const registry = await open(':memory:');
    await addKey();
    const first = await registry.issue(spec({ name: 'n' }), 1);
    const second = await registry.issue(spec({ name: 'n' }), 2);
    expect(second.grant.grantId).toBe(first.grant.grantId);
    expect(registry.grantOfToken(first.grantToken).grantId).toBe(first.grant.grantId);
    expect(registry.grantOfToken(second.grantToken).grantId).toBe(first.grant.grantId);
    const changed = await registry.issue(spec({ name: 'n', operations: new Set(['Decrypt']) }), 3);
    expect(changed.grant.grantId).not.toBe(first.grant.grantId);
    expect(registry.onKey(KEY_ID)).toHaveLength(2);
  });

  it('refuses a grant past the per-key limit, but not an idempotent retry', async () => {
    const registry = await open(':memory:', 2);
    await addKey();
    await registry.issue(spec({ name: 'a' }), 1);
    await registry.issue(spec(), 2);
    await expect(registry.issue(spec(), 3)).rejects.toMatchObject({
      type: 'LimitExceededException',
    });
    await expect(registry.issue(spec({ name: 'a' }), 4)).resolves.toBeDefined();
  });

  it('forgets the grants of a destroyed key, in memory and in the database', async () => {
    const path = join(dir, 'trent.db');
    let registry = await open(path);
    await addKey();
    const issued = await registry.issue(spec(), 1);
    await keyring.destroyKey(KEY_ID);
    expect(registry.get(issued.grant.grantId)).toBeUndefined();
    expect(() => registry.grantOfToken(issued.grantToken)).toThrow(/not valid/);
    const rows = db.prepare('SELECT COUNT(*) AS n FROM grants').get() as { n: number };
    expect(rows.n).toBe(0);
    await store.close();
    registry = await open(path);
    expect(registry.onKey(KEY_ID)).toEqual([]);
  });

  it('finds retirable grants by either spelling of an account', async () => {
    const registry = await open(':memory:');
    await addKey();
    const issued = await registry.issue(spec({ retiringPrincipal: '111122223333' }), 1);
    expect(registry.retirableBy('arn:aws:iam::111122223333:root')).toEqual([issued.grant]);
  });

  it('indexes grants by grantee so that another principal finds none', async () => {
    const registry = await open(':memory:');
    await addKey();
    await registry.issue(spec(), 1);
    expect(registry.forGrantee(KEY_ID, [`arn:${ALICE}`])).toHaveLength(1);
    expect(registry.forGrantee(KEY_ID, ['arn:arn:aws:iam::111122223333:user/bob'])).toHaveLength(0);
  });

  it('removes a grant and its tokens', async () => {
    const registry = await open(':memory:');
    await addKey();
    const issued = await registry.issue(spec(), 1);
    await registry.remove(issued.grant.grantId);
    expect(registry.get(issued.grant.grantId)).toBeUndefined();
    expect(registry.forGrantee(KEY_ID, [`arn:${ALICE}`])).toHaveLength(0);
    expect(() => registry.grantOfToken(issued.grantToken)).toThrow(/not valid/);
    const tokens = db.prepare('SELECT COUNT(*) AS n FROM grant_tokens').get() as { n: number };
    expect(tokens.n).toBe(0);
  });

  it('stores token hashes, never tokens', async () => {
    const registry = await open(':memory:');
    await addKey();
    const issued = await registry.issue(spec(), 1);
    const hashes = db.prepare('SELECT token_hash FROM grant_tokens').all() as {
      token_hash: Buffer;
    }[];
    expect(hashes).toHaveLength(1);
    const raw = Buffer.from(issued.grantToken, 'base64url');
    expect(hashes[0]!.token_hash.includes(raw.subarray(33))).toBe(false);
  });
});
