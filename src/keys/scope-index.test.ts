import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../test/fakes/seeded-random.js';
import { ScopeIndex } from './scope-index.js';

interface Entry {
  readonly row: { readonly keyId: string };
  readonly generation: number;
}

/** A keyring's map and a scope index over it, changed together as the keyring changes them. */
function ring() {
  const keys = new Map<string, Entry>();
  const index = new ScopeIndex<Entry>(
    (id) => keys.get(id),
    (e) => e.row.keyId,
  );
  let generation = 0;
  return {
    keys,
    index,
    put(keyId: string) {
      keys.set(keyId, { row: { keyId }, generation: ++generation });
      index.add(keyId);
    },
    drop(keyId: string) {
      keys.delete(keyId);
      index.remove(keyId);
    },
    /** What a full sort of the map gives: the reference the index must match. */
    expected(): Entry[] {
      return [...keys.values()].sort((a, b) =>
        a.row.keyId < b.row.keyId ? -1 : a.row.keyId > b.row.keyId ? 1 : 0,
      );
    },
  };
}

describe('ScopeIndex', () => {
  it('lists keys in id order, built on first use', () => {
    const r = ring();
    for (const id of ['c', 'a', 'b']) r.put(id);
    expect(r.index.sorted().map((e) => e.row.keyId)).toEqual(['a', 'b', 'c']);
    expect(r.index.size).toBe(3);
  });

  it('merges in added, replaced and removed keys after a listing, without losing order', () => {
    const r = ring();
    for (const id of ['b', 'd', 'f', 'h']) r.put(id);
    const first = r.index.sorted();
    expect(first.map((e) => e.row.keyId)).toEqual(['b', 'd', 'f', 'h']);
    r.put('a'); // before everything
    r.put('e'); // in the middle
    r.put('z'); // after everything
    r.put('f'); // replaced: the new entry is listed, not the old one
    r.drop('d');
    r.drop('q'); // never there
    const after = r.index.sorted();
    expect(after.map((e) => e.row.keyId)).toEqual(['a', 'b', 'e', 'f', 'h', 'z']);
    expect(after.find((e) => e.row.keyId === 'f')).toBe(r.keys.get('f'));
    expect(after).toEqual(r.expected());
    // No change since: the same array again.
    expect(r.index.sorted()).toBe(after);
    expect(r.index.size).toBe(6);
  });

  it('lists a key removed and added again once', () => {
    const r = ring();
    for (const id of ['a', 'b', 'c']) r.put(id);
    r.index.sorted();
    r.drop('b');
    r.put('b');
    r.drop('c');
    expect(r.index.sorted()).toEqual(r.expected());
    expect(r.index.sorted().map((e) => e.row.keyId)).toEqual(['a', 'b']);
  });

  it('matches a full sort after every batch of random changes', () => {
    const random = seededRandom(7);
    const r = ring();
    const id = () => `k${String(Math.floor(random() * 400)).padStart(3, '0')}`;
    for (let batch = 0; batch < 200; batch++) {
      const changes = Math.floor(random() * 30);
      for (let i = 0; i < changes; i++) {
        if (random() < 0.3) r.drop(id());
        else r.put(id());
      }
      const listed = r.index.sorted();
      expect(listed).toEqual(r.expected());
      expect(listed.every((e) => r.keys.get(e.row.keyId) === e)).toBe(true);
      expect(r.index.size).toBe(r.keys.size);
    }
  });

  it('forgets its order after more changes than keys, and builds it again when asked', () => {
    const r = ring();
    r.put('a');
    r.index.sorted();
    // Many more changes than keys, none listed: each replaces the same key.
    for (let i = 0; i < 3000; i++) r.put('a');
    r.put('b');
    expect(r.index.sorted()).toEqual(r.expected());
  });

  it('keeps order by code unit, as < compares key ids', () => {
    const r = ring();
    for (const id of ['b', 'B', 'a', '1', 'é', 'Z']) r.put(id);
    r.index.sorted();
    r.put('_');
    r.put('A');
    expect(r.index.sorted().map((e) => e.row.keyId)).toEqual([
      '1',
      'A',
      'B',
      'Z',
      '_',
      'a',
      'b',
      'é',
    ]);
  });
});
