import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteDatabase } from './database.js';
import { sqliteStore, USAGE_ROWS_PER_TRANSACTION } from './sqlite-store.js';
import type { KeyUsageRow, Store } from '../store.js';
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
