import { describe, expect, it } from 'vitest';
import { generateRootKey } from '../root/root-key.js';
import { openSqliteDatabase } from '../store/sqlite/database.js';
import { sqliteStore } from '../store/sqlite/sqlite-store.js';
import type { KeyRow } from '../store/store.js';
import { Keyring } from './keyring.js';
import { keyRow } from '../../test/fakes/key-row.js';

const row = (keyId: string, accountId: string): KeyRow => keyRow(keyId, { accountId });

describe('keyring account index', () => {
  it('lists and counts each account’s keys in id order through creation, destruction and reload', async () => {
    const store = sqliteStore(openSqliteDatabase(':memory:'));
    const ring = await Keyring.open(store, generateRootKey(), 'aws');
    const ids = [
      'c0000000-0000-4000-8000-000000000000',
      'a0000000-0000-4000-8000-000000000000',
      'b0000000-0000-4000-8000-000000000000',
    ];
    for (const id of ids) await ring.createKey(row(id, '111122223333'), undefined, []);
    await ring.createKey(
      row('d0000000-0000-4000-8000-000000000000', '444455556666'),
      undefined,
      [],
    );
    const listed = () => ring.keysOf('111122223333', 'us-east-1').map((k) => k.row.keyId);
    expect(listed()).toEqual([...ids].sort());
    expect(ring.countKeys('111122223333', 'us-east-1')).toBe(3);
    expect(ring.countKeys('444455556666', 'us-east-1')).toBe(1);
    expect(ring.countKeys('111122223333', 'eu-west-1')).toBe(0);
    await ring.destroyKey('b0000000-0000-4000-8000-000000000000');
    expect(listed()).toEqual([
      'a0000000-0000-4000-8000-000000000000',
      'c0000000-0000-4000-8000-000000000000',
    ]);
    expect(ring.countKeys('111122223333', 'us-east-1')).toBe(2);
    await ring.reload();
    expect(listed()).toEqual([
      'a0000000-0000-4000-8000-000000000000',
      'c0000000-0000-4000-8000-000000000000',
    ]);
    expect(ring.countKeys('444455556666', 'us-east-1')).toBe(1);
    await store.close();
  });
});
