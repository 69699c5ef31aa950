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
  it('releases a destroyed key and zeroes its unwrapped material, though its last use waited to be written', async () => {
    const { ring } = await ringWith([A, B]);
    ring.noteUsage({ keyId: A, operation: 'Encrypt', at: 1, requestId: 'r1' });
    expect(ring.unwrappedCount).toBe(2);
    const { ref, seen } = ((): { ref: WeakRef<object>; seen: Buffer } => {
      const key = ring.get(A);
      if (!key) throw new Error('no key');
      sealWithKey(ring, key, Buffer.from('x'), undefined);
      // Kept past the turn on purpose, to see what becomes of the bytes.
      const view = ring.materialKey(key, key.row.currentVersion);
      if (!view) throw new Error('no material');
      return { ref: new WeakRef(key), seen: view };
    })();
    expect(seen).toEqual(Buffer.alloc(32, 1));
    await ring.destroyKey(A);
    expect(seen).toEqual(Buffer.alloc(32, 0));
    expect(ring.unwrappedCount).toBe(1);
    expect(await isCollected(ref)).toBe(true);
    const b = ring.get(B);
    expect(b && ring.materialKey(b, b.row.currentVersion)).toEqual(Buffer.alloc(32, 1));
  });

  it('releases a key another process destroyed once refreshed, its material zeroed, though its last use waited', async () => {
    const { ring, store } = await ringWith([A]);
    ring.noteUsage({ keyId: A, operation: 'Encrypt', at: 1, requestId: 'r1' });
    const { ref, seen } = ((): { ref: WeakRef<object>; seen: Buffer | undefined } => {
      const key = ring.get(A);
      if (!key) throw new Error('no key');
      sealWithKey(ring, key, Buffer.from('x'), undefined);
      return { ref: new WeakRef(key), seen: ring.materialKey(key, key.row.currentVersion) };
    })();
    await store.apply([{ kind: 'deleteKey', keyId: A }]);
    await ring.refresh([A]);
    expect(ring.get(A)).toBeUndefined();
    expect(seen).toEqual(Buffer.alloc(32, 0));
    expect(ring.unwrappedCount).toBe(0);
    expect(await isCollected(ref)).toBe(true);
  });

  it('keeps a refreshed key’s material in the slot it had, without unwrapping it again', async () => {
    const { ring } = await ringWith([A, B]);
    const key = ring.get(A);
    if (!key) throw new Error('no key');
    const before = ring.materialKey(key, key.row.currentVersion);
    await ring.refresh([A, B]);
    expect(ring.unwrappedCount).toBe(2);
    const after = ring.get(A);
    expect(after).not.toBe(key);
    const view = after && ring.materialKey(after, after.row.currentVersion);
    expect(view).toEqual(Buffer.alloc(32, 1));
    expect(view?.byteOffset).toBe(before?.byteOffset);
    expect(ring.unwrappedCount).toBe(2);
  });

  it('zeroes all material on a reload and unwraps each key again on use', async () => {
    const { ring } = await ringWith([A, B]);
    const key = ring.get(A);
    const seen = key && ring.materialKey(key, key.row.currentVersion);
    await ring.reload();
    expect(seen).toEqual(Buffer.alloc(32, 0));
    expect(ring.unwrappedCount).toBe(0);
    const again = ring.get(A);
    expect(again && ring.materialKey(again, again.row.currentVersion)).toEqual(Buffer.alloc(32, 1));
    expect(ring.unwrappedCount).toBe(1);
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
