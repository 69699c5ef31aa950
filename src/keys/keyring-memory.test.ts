import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { generateRootKey } from '../root/root-key.js';
import { openSqliteDatabase } from '../store/sqlite/database.js';
import { sqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Store } from '../store/store.js';
import { Keyring } from './keyring.js';
import { sealWithKey } from './symmetric.js';
import { keyRow } from '../../test/fakes/key-row.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const A = 'a0000000-0000-4000-8000-000000000000';
const B = 'b0000000-0000-4000-8000-000000000000';
const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

async function ringWith(keyIds: readonly string[]): Promise<{ ring: Keyring; store: Store }> {
  const store = sqliteStore(openSqliteDatabase(':memory:'));
  stores.push(store);
  const ring = await Keyring.open(store, generateRootKey(), 'aws');
  for (const keyId of keyIds) {
    const material = ring.newMaterial(keyId, 0, null, Buffer.alloc(32, 1));
    await ring.createKey(keyRow(keyId, { currentVersion: material.version }), material, []);
  }
  return { ring, store };
}

/** Whether the object behind the reference was collected (WeakRef targets live to the end of a turn). */
async function isCollected(ref: WeakRef<object>): Promise<boolean> {
  for (let i = 0; i < 10 && ref.deref() !== undefined; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
  }
  return ref.deref() === undefined;
}

describe('keyring memory', () => {
  it('releases a destroyed key and its unwrapped material, though its last use waited to be written', async () => {
    const { ring } = await ringWith([A, B]);
    ring.noteUsage({ keyId: A, operation: 'Encrypt', at: 1, requestId: 'r1' });
    const refs = ((): { key: WeakRef<object>; secret: WeakRef<object> } => {
      const key = ring.get(A);
      if (!key) throw new Error('no key');
      sealWithKey(ring, key, Buffer.from('x'), undefined);
      const secret = ring.materialKey(key, key.row.currentVersion);
      if (!secret) throw new Error('no material');
      return { key: new WeakRef(key), secret: new WeakRef(secret) };
    })();
    await ring.destroyKey(A);
    expect(await isCollected(refs.key)).toBe(true);
    expect(await isCollected(refs.secret)).toBe(true);
    expect(ring.get(B)).toBeDefined();
  });

  it('releases a key another process destroyed once refreshed, though its last use waited', async () => {
    const { ring, store } = await ringWith([A]);
    ring.noteUsage({ keyId: A, operation: 'Encrypt', at: 1, requestId: 'r1' });
    const ref = ((): WeakRef<object> => {
      const key = ring.get(A);
      if (!key) throw new Error('no key');
      sealWithKey(ring, key, Buffer.from('x'), undefined);
      return new WeakRef(key);
    })();
    await store.apply([{ kind: 'deleteKey', keyId: A }]);
    await ring.refresh([A]);
    expect(ring.get(A)).toBeUndefined();
    expect(await isCollected(ref)).toBe(true);
  });

  it('writes each used key’s last use once, and forgets uses of keys gone', async () => {
    const { ring, store } = await ringWith([A, B]);
    ring.noteUsage({ keyId: A, operation: 'Encrypt', at: 1, requestId: 'r1' });
    ring.noteUsage({ keyId: A, operation: 'Decrypt', at: 2, requestId: 'r2' });
    ring.noteUsage({ keyId: B, operation: 'Encrypt', at: 3, requestId: 'r3' });
    ring.noteUsage({
      keyId: 'c0000000-0000-4000-8000-000000000000',
      operation: 'Encrypt',
      at: 4,
      requestId: 'r4',
    });
    await ring.destroyKey(B);
    await ring.flushUsage();
    const stored = await store.loadAll();
    expect(stored.usage).toEqual([{ keyId: A, operation: 'Decrypt', at: 2, requestId: 'r2' }]);
    expect(ring.lastUsage(A)?.requestId).toBe('r2');
    expect(ring.lastUsage(B)).toBeUndefined();
    await ring.reload();
    expect(ring.lastUsage(A)).toEqual({ keyId: A, operation: 'Decrypt', at: 2, requestId: 'r2' });
  });
});
