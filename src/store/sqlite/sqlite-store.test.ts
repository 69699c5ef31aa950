import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteDatabase } from './database.js';
import { sqliteStore } from './sqlite-store.js';
import type { Store } from '../store.js';
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
});
