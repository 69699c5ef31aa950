import { describe, expect, it } from 'vitest';
import { KmsError } from '../errors.js';
import { generateRootKey } from '../root/root-key.js';
import { openSqliteDatabase } from '../store/sqlite/database.js';
import { sqliteStore } from '../store/sqlite/sqlite-store.js';
import { keyRow } from '../../test/fakes/key-row.js';
import { Keyring, type KmsKey } from './keyring.js';
import { rotateKeyMaterial } from './rotation.js';
import { keyOfBlob, openWithKey, sealWithKey } from './symmetric.js';

const KEY_A = 'a0000000-0000-4000-8000-000000000001';
const KEY_B = 'b0000000-0000-4000-8000-000000000002';
const CONTEXT = { tenant: 'acme', purpose: 'unit' };

async function ringWithKeys(): Promise<{ ring: Keyring; a: KmsKey; b: KmsKey }> {
  const ring = await Keyring.open(
    sqliteStore(openSqliteDatabase(':memory:')),
    generateRootKey(),
    'aws',
  );
  const create = async (keyId: string) => {
    const material = ring.newMaterial(keyId, 0, null, Buffer.alloc(32, keyId.charCodeAt(0)));
    return ring.createKey(keyRow(keyId, { currentVersion: material.version }), material, []);
  };
  return { ring, a: await create(KEY_A), b: await create(KEY_B) };
}

function expectInvalidCiphertext(fn: () => unknown): void {
  expect(fn).toThrow(KmsError);
  try {
    fn();
  } catch (err) {
    expect((err as KmsError).type).toBe('InvalidCiphertextException');
  }
}

describe('symmetric sealing under a KMS key', () => {
  it('names the key and its current material in the blob, and opens it back', async () => {
    const { ring, a } = await ringWithKeys();
    const sealed = sealWithKey(ring, a, Buffer.from('hello'), CONTEXT);
    expect(sealed.material.version).toBe(a.row.currentVersion);
    expect(sealed.ciphertextBlob.toString('hex', 1, 17)).toBe(KEY_A.replaceAll('-', ''));
    expect(sealed.ciphertextBlob.toString('hex', 17, 33)).toBe(a.row.currentVersion);
    expect(keyOfBlob(ring, sealed.ciphertextBlob)).toBe(a);
    const opened = openWithKey(ring, a, sealed.ciphertextBlob, { purpose: 'unit', tenant: 'acme' });
    expect(opened.plaintext.toString()).toBe('hello');
    expect(opened.material).toBe(sealed.material);
  });

  it('keeps each key’s header its own when two keys seal in turn', async () => {
    const { ring, a, b } = await ringWithKeys();
    for (let i = 0; i < 3; i++) {
      const blobA = sealWithKey(ring, a, Buffer.from('a'), undefined).ciphertextBlob;
      const blobB = sealWithKey(ring, b, Buffer.from('b'), undefined).ciphertextBlob;
      expect(keyOfBlob(ring, blobA)).toBe(a);
      expect(keyOfBlob(ring, blobB)).toBe(b);
      expectInvalidCiphertext(() => openWithKey(ring, b, blobA, undefined));
    }
  });

  it('seals under the new material after rotation and still opens blobs of the old', async () => {
    const { ring, a } = await ringWithKeys();
    const before = sealWithKey(ring, a, Buffer.from('old'), CONTEXT);
    const rotated = await rotateKeyMaterial(ring, a, 'ON_DEMAND', 1000);
    const after = sealWithKey(ring, rotated, Buffer.from('new'), CONTEXT);
    expect(after.material.version).not.toBe(before.material.version);
    expect(after.ciphertextBlob.toString('hex', 17, 33)).toBe(rotated.row.currentVersion);
    expect(openWithKey(ring, rotated, before.ciphertextBlob, CONTEXT).plaintext.toString()).toBe(
      'old',
    );
    expect(openWithKey(ring, rotated, after.ciphertextBlob, CONTEXT).material).toBe(after.material);
  });

  it('refuses blobs that name no key, no material of the key, or the wrong context', async () => {
    const { ring, a } = await ringWithKeys();
    const blob = sealWithKey(ring, a, Buffer.from('x'), CONTEXT).ciphertextBlob;
    const unknownKey = Buffer.from(blob);
    unknownKey[16] = (unknownKey[16] ?? 0) ^ 1;
    expectInvalidCiphertext(() => keyOfBlob(ring, unknownKey));
    const unknownVersion = Buffer.from(blob);
    unknownVersion[20] = (unknownVersion[20] ?? 0) ^ 1;
    expectInvalidCiphertext(() => openWithKey(ring, a, unknownVersion, CONTEXT));
    expectInvalidCiphertext(() => openWithKey(ring, a, blob, { tenant: 'acme' }));
    expectInvalidCiphertext(() => keyOfBlob(ring, blob.subarray(0, 40)));
  });

  it('neither seals nor opens with a key destroyed after it was resolved', async () => {
    const { ring, a } = await ringWithKeys();
    const blob = sealWithKey(ring, a, Buffer.from('x'), undefined).ciphertextBlob;
    await ring.destroyKey(KEY_A);
    expect(() => sealWithKey(ring, a, Buffer.from('y'), undefined)).toThrow();
    expectInvalidCiphertext(() => openWithKey(ring, a, blob, undefined));
    expectInvalidCiphertext(() => keyOfBlob(ring, blob));
  });
});
