import { describe, expect, it } from 'vitest';
import type { Store, StoreWrite } from '../store/store.js';
import { fromWire, toWire, WriteBatcher } from './store-writes.js';

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
