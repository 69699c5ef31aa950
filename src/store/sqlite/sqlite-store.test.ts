import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteDatabase } from './database.js';
import { sqliteStore, USAGE_ROWS_PER_TRANSACTION } from './sqlite-store.js';
import { KeyQuotaExceededError, type KeyUsageRow, type Store } from '../store.js';
import { keyRow } from '../../../test/fakes/key-row.js';

const A = 'a0000000-0000-4000-8000-000000000000';
const B = 'b0000000-0000-4000-8000-000000000000';
const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

async function storeWith(keyIds: readonly string[]): Promise<Store> {
  const store = sqliteStore(openSqliteDatabase(':memory:'));
  stores.push(store);
  await store.apply(keyIds.map((keyId) => ({ kind: 'putKey' as const, key: keyRow(keyId) })));
  return store;
}

describe('the SQLite store’s key usage', () => {
  it('keeps the latest use of each key, whatever order uses are written in', async () => {
    const store = await storeWith([A, B]);
    await store.recordUsage([
      { keyId: A, operation: 'Encrypt', at: 10, requestId: 'r10' },
      { keyId: B, operation: 'Sign', at: 3, requestId: 'r3' },
    ]);
    await store.recordUsage([
      { keyId: A, operation: 'Decrypt', at: 9, requestId: 'r9' },
      { keyId: B, operation: 'Verify', at: 4, requestId: 'r4' },
    ]);
    const { usage } = await store.loadAll();
    expect(usage.sort((x, y) => x.keyId.localeCompare(y.keyId))).toEqual([
      { keyId: A, operation: 'Encrypt', at: 10, requestId: 'r10' },
      { keyId: B, operation: 'Verify', at: 4, requestId: 'r4' },
    ]);
  });

  it('deletes a destroyed key’s usage row with the key', async () => {
    const store = await storeWith([A, B]);
    await store.recordUsage([
      { keyId: A, operation: 'Encrypt', at: 1, requestId: 'r1' },
      { keyId: B, operation: 'Encrypt', at: 2, requestId: 'r2' },
    ]);
    await store.apply([{ kind: 'deleteKey', keyId: A }]);
    expect((await store.loadAll()).usage).toEqual([
      { keyId: B, operation: 'Encrypt', at: 2, requestId: 'r2' },
    ]);
    // A key created again under the id (a seed after a dev reset) starts unused.
    await store.apply([{ kind: 'putKey', key: keyRow(A) }]);
    expect((await store.loadKeys([A])).usage).toEqual([]);
  });

  it('deletes every usage row on a wipe', async () => {
    const store = await storeWith([A]);
    await store.recordUsage([{ keyId: A, operation: 'Encrypt', at: 1, requestId: 'r1' }]);
    await store.wipe();
    await store.apply([{ kind: 'putKey', key: keyRow(A) }]);
    expect((await store.loadAll()).usage).toEqual([]);
  });

  it('writes a large batch whole, a range of keys at a time, serving between ranges', async () => {
    const store = await storeWith([]);
    const count = 2 * USAGE_ROWS_PER_TRANSACTION + 7;
    const keyIdOf = (i: number): string => `${String((i * 7919) % count).padStart(8, '0')}-key`;
    const rows: KeyUsageRow[] = Array.from({ length: count }, (_, i) => ({
      keyId: keyIdOf(i),
      operation: 'Encrypt',
      at: 100 + i,
      requestId: `r${String(i)}`,
    }));
    await store.recordUsage(rows.map((r) => ({ ...r, at: 1 })));
    // Turns of the event loop taken while the write is under way: one between each two ranges.
    let turns = 0;
    let isWriting = true;
    const turn = (): void => {
      if (!isWriting) return;
      turns++;
      setImmediate(turn);
    };
    setImmediate(turn);
    await store.recordUsage(rows);
    isWriting = false;
    expect(turns).toBeGreaterThanOrEqual(2);
    const { usage } = await store.loadAll();
    expect(usage).toHaveLength(count);
    const byKey = new Map(usage.map((u) => [u.keyId, u]));
    for (const r of rows) expect(byKey.get(r.keyId)).toEqual(r);
  });
});

describe('the SQLite store’s key quota', () => {
  const idOf = (i: number): string => `c${String(i).padStart(7, '0')}-0000-4000-8000-000000000000`;
  const create = (i: number, quota: number, overrides: Parameters<typeof keyRow>[1] = {}) => ({
    kind: 'createKey' as const,
    key: keyRow(idOf(i), overrides),
    quota,
  });
  const keyCount = async (store: Store): Promise<number> => (await store.loadAll()).keys.length;

  it('refuses a new key once the account holds the quota, counting keys written before it opened', async () => {
    const db = openSqliteDatabase(':memory:');
    const first = sqliteStore(db);
    await first.apply([{ kind: 'putKey', key: keyRow(idOf(0)) }]);
    // A second store over the same database reads the count from the rows.
    const store = sqliteStore(db);
    stores.push(store);
    await store.apply([create(1, 3)]);
    await store.apply([create(2, 3)]);
    await expect(store.apply([create(3, 3)])).rejects.toBeInstanceOf(KeyQuotaExceededError);
    await expect(store.apply([create(3, 3)])).rejects.toThrow(
      'An account can have at most 3 KMS keys.',
    );
    expect(await keyCount(store)).toBe(3);
  });

  it('counts the keys of one apply together, and writes none of an apply that goes over', async () => {
    const store = await storeWith([]);
    await expect(store.apply([create(1, 2), create(2, 2), create(3, 2)])).rejects.toBeInstanceOf(
      KeyQuotaExceededError,
    );
    expect(await keyCount(store)).toBe(0);
    // The refused apply left no count behind: two still fit.
    await store.apply([create(1, 2), create(2, 2)]);
    expect(await keyCount(store)).toBe(2);
  });

  it('frees a place when a key is deleted, and counts each account and region alone', async () => {
    const store = await storeWith([]);
    await store.apply([create(1, 2), create(2, 2)]);
    await expect(store.apply([create(3, 2)])).rejects.toBeInstanceOf(KeyQuotaExceededError);
    await store.apply([create(4, 2, { accountId: '444455556666' })]);
    await store.apply([create(5, 2, { region: 'eu-west-1' })]);
    await store.apply([{ kind: 'deleteKey', keyId: idOf(1) }]);
    await store.apply([create(3, 2)]);
    await expect(store.apply([create(6, 2)])).rejects.toBeInstanceOf(KeyQuotaExceededError);
    expect(await keyCount(store)).toBe(4);
  });

  it('counts keys written by putKey, lets an existing key be written again, and starts over after a wipe', async () => {
    const store = await storeWith([]);
    await store.apply([{ kind: 'putKey', key: keyRow(idOf(1)) }]);
    await store.apply([create(2, 2)]);
    await expect(store.apply([create(3, 2)])).rejects.toBeInstanceOf(KeyQuotaExceededError);
    // The same key again is no new key.
    await store.apply([create(2, 2, { description: 'again' })]);
    await store.wipe();
    await store.apply([create(3, 2), create(4, 2)]);
    expect(await keyCount(store)).toBe(2);
  });
});
