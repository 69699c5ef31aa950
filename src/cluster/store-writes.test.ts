import { describe, expect, it } from 'vitest';
import {
  KeyQuotaExceededError,
  type KeyUsageRow,
  type Store,
  type StoreWrite,
} from '../store/store.js';
import { openSqliteDatabase } from '../store/sqlite/database.js';
import { sqliteStore } from '../store/sqlite/sqlite-store.js';
import { keyRow } from '../../test/fakes/key-row.js';
import { fromWire, toWire, usageFromWire, usageToWire, WriteBatcher } from './store-writes.js';

/** A store that records each transaction and refuses any holding a write for the key 'bad'. */
function recordingStore(): { store: Store; transactions: StoreWrite[][] } {
  const transactions: StoreWrite[][] = [];
  const store = {
    apply(writes: readonly StoreWrite[]) {
      if (writes.some((w) => w.kind === 'deleteKey' && w.keyId === 'bad'))
        return Promise.reject(new Error('constraint failed'));
      transactions.push([...writes]);
      return Promise.resolve();
    },
  } as unknown as Store;
  return { store, transactions };
}

const del = (keyId: string): StoreWrite => ({ kind: 'deleteKey', keyId });

describe('the primary’s write batcher', () => {
  it('commits the writes that arrive together in one transaction, in order', async () => {
    const { store, transactions } = recordingStore();
    const batcher = new WriteBatcher(store);
    await Promise.all([batcher.apply([del('a')]), batcher.apply([del('b'), del('c')])]);
    expect(transactions).toEqual([[del('a'), del('b'), del('c')]]);
    await batcher.apply([del('d')]);
    expect(transactions).toHaveLength(2);
  });

  it('fails only the request whose writes the store refuses', async () => {
    const { store, transactions } = recordingStore();
    const batcher = new WriteBatcher(store);
    const results = await Promise.allSettled([
      batcher.apply([del('a')]),
      batcher.apply([del('bad')]),
      batcher.apply([del('c')]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(transactions).toEqual([[del('a')], [del('c')]]);
  });

  it('holds the key quota over the creations of one batch, refusing only those past it', async () => {
    const store = sqliteStore(openSqliteDatabase(':memory:'));
    const batcher = new WriteBatcher(store);
    const create = (keyId: string): StoreWrite => ({
      kind: 'createKey',
      key: keyRow(keyId),
      quota: 2,
    });
    const results = await Promise.allSettled(
      ['k1', 'k2', 'k3', 'k4'].map((keyId) => batcher.apply([create(keyId)])),
    );
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'rejected',
    ]);
    expect(results[2]).toMatchObject({ reason: expect.any(KeyQuotaExceededError) as unknown });
    expect((await store.loadAll()).keys.map((k) => k.keyId).sort()).toEqual(['k1', 'k2']);
    await store.close();
  });

  it('carries wrapped material through JSON unchanged', () => {
    const write: StoreWrite = {
      kind: 'putMaterial',
      material: {
        keyId: 'k',
        version: '00',
        keyMaterialId: 'm',
        wrapped: Buffer.from([0, 1, 2, 255]),
        createdAt: 1,
        rotationType: null,
      },
    };
    const back = fromWire(JSON.parse(JSON.stringify(toWire(write))) as ReturnType<typeof toWire>);
    expect(back).toEqual(write);
  });
});

describe('key usage between a worker and the primary', () => {
  const rows: KeyUsageRow[] = [
    {
      keyId: 'a0000000-0000-4000-8000-000000000000',
      operation: 'Encrypt',
      at: 1_700_000_000_500,
      requestId: 'r1',
    },
    {
      keyId: 'b0000000-0000-4000-8000-000000000000',
      operation: 'GenerateDataKey',
      at: 1_700_000_000_100,
      requestId: 'r2',
    },
    { keyId: 'c"\\\u2028é', operation: 'Sign', at: 1_700_000_009_999, requestId: '' },
  ];

  it('carries usage rows through JSON unchanged, in order', () => {
    const back = usageFromWire(JSON.parse(JSON.stringify(usageToWire(rows))));
    expect(back).toEqual(rows);
    expect(usageFromWire(JSON.parse(JSON.stringify(usageToWire([]))))).toEqual([]);
  });

  it('sends each row as four flat fields, its time relative to the batch', () => {
    const wire = usageToWire(rows.slice(0, 2));
    expect(wire).toEqual({
      since: 1_700_000_000_500,
      rows: [rows[0]?.keyId, 'Encrypt', 0, 'r1', rows[1]?.keyId, 'GenerateDataKey', -400, 'r2'],
    });
  });

  it('refuses a batch that is not whole rows of the right types', () => {
    const good = usageToWire(rows);
    for (const bad of [
      undefined,
      null,
      'rows',
      { rows: good.rows },
      { since: 1.5, rows: good.rows },
      { since: 0, rows: 'a,b,c,d' },
      { since: 0, rows: good.rows.slice(0, 3) },
      { since: 0, rows: ['k', 'Encrypt', '1', 'r'] },
      { since: 0, rows: ['k', 7, 1, 'r'] },
      { since: 0, rows: [null, 'Encrypt', 1, 'r'] },
      { since: 0, rows: ['k', 'Encrypt', 1, 5] },
      { since: Number.MAX_SAFE_INTEGER, rows: ['k', 'Encrypt', 1, 'r'] },
      { since: 0, rows: ['k', 'Encrypt', 0.5, 'r'] },
    ]) {
      expect(usageFromWire(bad)).toBeUndefined();
    }
  });
});
