import { afterEach, describe, expect, it } from 'vitest';
import { generateRootKey } from '../root/root-key.js';
import { openSqliteDatabase } from '../store/sqlite/database.js';
import { sqliteStore } from '../store/sqlite/sqlite-store.js';
import type { KeyUsageRow, Store } from '../store/store.js';
import { Keyring } from './keyring.js';
import { FEW_KEYS_WAITING, MAX_CHECKS_WAITING } from './usage-schedule.js';
import { keyRow } from '../../test/fakes/key-row.js';

const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

const keyIdOf = (i: number): string =>
  `${i.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;

/** A keyring over `count` keys, and every batch of usage rows written to its store. */
async function ringWith(
  count: number,
): Promise<{ ring: Keyring; store: Store; writes: KeyUsageRow[][] }> {
  const store = sqliteStore(openSqliteDatabase(':memory:'));
  stores.push(store);
  await store.apply(
    Array.from({ length: count }, (_, i) => ({ kind: 'putKey' as const, key: keyRow(keyIdOf(i)) })),
  );
  const writes: KeyUsageRow[][] = [];
  const recordUsage = store.recordUsage.bind(store);
  store.recordUsage = (rows) => {
    writes.push([...rows]);
    return recordUsage(rows);
  };
  const ring = await Keyring.open(store, generateRootKey(), 'aws');
  return { ring, store, writes };
}

function use(ring: Keyring, keys: number, at: number): void {
  for (let i = 0; i < keys; i++)
    ring.noteUsage({ keyId: keyIdOf(i), operation: 'Encrypt', at, requestId: `r${String(at)}` });
}

describe('writing noted uses', () => {
  it('writes a few keys’ uses at every check', async () => {
    const { ring, writes } = await ringWith(3);
    use(ring, 3, 1);
    await ring.checkUsage();
    expect(writes).toHaveLength(1);
    expect(writes[0]).toHaveLength(3);
    await ring.checkUsage();
    expect(writes).toHaveLength(1);
    use(ring, 1, 2);
    await ring.checkUsage();
    expect(writes).toHaveLength(2);
  });

  it('lets the uses of many keys wait for the longest interval, exact in memory meanwhile', async () => {
    const keys = FEW_KEYS_WAITING + 1;
    const { ring, store, writes } = await ringWith(keys);
    use(ring, keys, 1);
    for (let check = 1; check < MAX_CHECKS_WAITING; check++) {
      await ring.checkUsage();
      use(ring, 1, 1 + check);
    }
    expect(writes).toHaveLength(0);
    expect(ring.lastUsage(keyIdOf(0))?.at).toBe(MAX_CHECKS_WAITING);
    await ring.checkUsage();
    expect(writes).toHaveLength(1);
    expect(writes[0]).toHaveLength(keys);
    const stored = await store.loadKeys([keyIdOf(0), keyIdOf(1)]);
    expect(stored.usage.map((u) => u.at).sort((a, b) => a - b)).toEqual([1, MAX_CHECKS_WAITING]);
  });

  it('counts the wait from the first use noted after a quiet spell', async () => {
    const keys = FEW_KEYS_WAITING + 1;
    const { ring, writes } = await ringWith(keys);
    for (let check = 0; check < 2 * MAX_CHECKS_WAITING; check++) await ring.checkUsage();
    use(ring, keys, 1);
    await ring.checkUsage();
    expect(writes).toHaveLength(0);
  });

  it('writes every noted use when flushed, due or not', async () => {
    const keys = FEW_KEYS_WAITING + 1;
    const { ring, writes } = await ringWith(keys);
    use(ring, keys, 1);
    await ring.checkUsage();
    await ring.flushUsage();
    expect(writes).toHaveLength(1);
    expect(writes[0]).toHaveLength(keys);
    use(ring, keys, 2);
    await ring.checkUsage();
    expect(writes).toHaveLength(1);
  });

  it('writes a use noted before another process changed the key once, from its new entry', async () => {
    const { ring, store, writes } = await ringWith(2);
    use(ring, 2, 1);
    await store.apply([{ kind: 'putKey', key: keyRow(keyIdOf(0), { description: 'changed' }) }]);
    await ring.refresh([keyIdOf(0)]);
    expect(ring.get(keyIdOf(0))?.row.description).toBe('changed');
    await ring.flushUsage();
    expect(writes).toEqual([
      [
        { keyId: keyIdOf(1), operation: 'Encrypt', at: 1, requestId: 'r1' },
        { keyId: keyIdOf(0), operation: 'Encrypt', at: 1, requestId: 'r1' },
      ],
    ]);
  });

  it('drops the waiting use of a key another process destroyed', async () => {
    const { ring, store, writes } = await ringWith(2);
    use(ring, 2, 1);
    await store.apply([{ kind: 'deleteKey', keyId: keyIdOf(0) }]);
    await ring.refresh([keyIdOf(0)]);
    await ring.flushUsage();
    expect(writes).toEqual([[{ keyId: keyIdOf(1), operation: 'Encrypt', at: 1, requestId: 'r1' }]]);
    expect((await store.loadAll()).usage.map((u) => u.keyId)).toEqual([keyIdOf(1)]);
  });
});
