import { afterEach, describe, expect, it } from 'vitest';
import { generateRootKey, type RootKey } from '../root/root-key.js';
import { openSqliteDatabase } from '../store/sqlite/database.js';
import { sqliteStore } from '../store/sqlite/sqlite-store.js';
import type { KeyRow, Store } from '../store/store.js';
import { Keyring } from './keyring.js';
import { keyRow } from '../../test/fakes/key-row.js';

/** A root key that counts its unwraps: each is one key version's material leaving its wrapping. */
function countingRoot(): RootKey & { unwraps: number } {
  const root = generateRootKey();
  const counting = {
    unwraps: 0,
    wrap: (plaintext: Buffer, aad: string) => root.wrap(plaintext, aad),
    unwrap: (wrapped: Buffer, aad: string) => {
      counting.unwraps += 1;
      return root.unwrap(wrapped, aad);
    },
  };
  return counting;
}

const id = (n: number) => `${n.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;
const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

async function storeWith(root: RootKey, rows: readonly KeyRow[]): Promise<Store> {
  const store = sqliteStore(openSqliteDatabase(':memory:'));
  stores.push(store);
  const ring = await Keyring.open(store, root, 'aws');
  for (const row of rows) {
    const material = ring.newMaterial(row.keyId, 0, null, Buffer.alloc(32, 1));
    await ring.createKey({ ...row, currentVersion: material.version }, material, []);
  }
  return store;
}

describe('warming symmetric key material', () => {
  it('unwraps every enabled symmetric key once, in slices, and first uses then unwrap nothing', async () => {
    const root = countingRoot();
    const rows = [
      ...Array.from({ length: 7 }, (_, n) => keyRow(id(n))),
      keyRow(id(100), { state: 'Disabled' }),
      keyRow(id(101), { keySpec: 'HMAC_256', keyUsage: 'GENERATE_VERIFY_MAC' }),
    ];
    const store = await storeWith(root, rows);
    const ring = await Keyring.open(store, root, 'aws');
    root.unwraps = 0;
    expect(await ring.warmSymmetricMaterial(() => false, 3)).toBe(7);
    expect(root.unwraps).toBe(7);
    for (let n = 0; n < 7; n++) {
      const key = ring.get(id(n));
      expect(key && ring.materialKey(key, key.row.currentVersion)).toBeDefined();
    }
    expect(root.unwraps).toBe(7);
    // Warmed keys are not warmed again.
    expect(await ring.warmSymmetricMaterial()).toBe(0);
    const disabled = ring.get(id(100));
    expect(disabled && ring.materialKey(disabled, disabled.row.currentVersion)).toBeDefined();
    expect(root.unwraps).toBe(8);
  });

  it('stops when asked', async () => {
    const root = countingRoot();
    const store = await storeWith(
      root,
      Array.from({ length: 10 }, (_, n) => keyRow(id(n))),
    );
    const ring = await Keyring.open(store, root, 'aws');
    root.unwraps = 0;
    let turns = 0;
    expect(await ring.warmSymmetricMaterial(() => turns++ >= 4, 2)).toBe(4);
    expect(root.unwraps).toBe(4);
  });

  it('warms a key as it is created, and passes over material that cannot be unwrapped', async () => {
    const root = countingRoot();
    const store = sqliteStore(openSqliteDatabase(':memory:'));
    stores.push(store);
    const ring = await Keyring.open(store, root, 'aws');
    const material = ring.newMaterial(id(1), 0, null, Buffer.alloc(32, 2));
    await ring.createKey(keyRow(id(1), { currentVersion: material.version }), material, []);
    expect(root.unwraps).toBe(1);
    const key = ring.get(id(1));
    expect(key && ring.materialKey(key, key.row.currentVersion)).toBeDefined();
    expect(root.unwraps).toBe(1);
    // Wrapped under another key id: it cannot be unwrapped for this one.
    const foreign = ring.newMaterial(id(3), 0, null, Buffer.alloc(32, 3));
    await ring.createKey(keyRow(id(2), { currentVersion: foreign.version }), foreign, []);
    const broken = ring.get(id(2));
    expect(broken).toBeDefined();
    expect(() => broken && ring.materialKey(broken, broken.row.currentVersion)).toThrow();
  });
});
