import { describe, expect, it } from 'vitest';
import { keyRow } from '../../test/fakes/key-row.js';
import { keyArn } from './arn.js';
import { KeyEntry, materialOf, pooledRow, type Material } from './key-entry.js';
import { NO_SLOT } from './material-slots.js';
import { StringPool } from './string-pool.js';

const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const V1 = '11'.repeat(16);
const V2 = '22'.repeat(16);
const PREFIX = keyArn({ partition: 'aws', region: 'us-east-1', accountId: '111122223333' }, '');

const material = (version: string): Material => ({
  version,
  keyMaterialId: version.repeat(2),
  createdAt: 0,
  rotationType: null,
  wrapped: 'wrapped',
});
const entry = (version = V1) =>
  new KeyEntry(keyRow(KEY_ID, { currentVersion: version }), PREFIX, []);

describe('key entry', () => {
  it('builds its ARN from the shared prefix and its key id', () => {
    const e = entry();
    expect(e.arn).toBe(
      keyArn({ partition: 'aws', region: 'us-east-1', accountId: '111122223333' }, KEY_ID),
    );
  });

  it('shares one empty alias set and tag list among keys without any', () => {
    const a = entry();
    const b = entry();
    expect(a.aliases).toBe(b.aliases);
    expect(a.tags).toBe(b.tags);
    expect(a.materials).toBe(b.materials);
    b.setTags([]);
    expect(b.tags).toBe(a.tags);
  });

  it('replaces its alias set on change, so a set handed out never changes', () => {
    const e = entry();
    const empty = e.aliases;
    e.addAlias('alias/one');
    const one = e.aliases;
    e.addAlias('alias/two');
    expect([...empty]).toEqual([]);
    expect([...one]).toEqual(['alias/one']);
    expect([...e.aliases]).toEqual(['alias/one', 'alias/two']);
    e.deleteAlias('alias/one');
    e.deleteAlias('alias/two');
    expect(e.aliases).toBe(empty);
  });

  it('keeps its tags as given, copied', () => {
    const e = entry();
    const tags = [{ tagKey: 'team', tagValue: 'red' }];
    e.setTags(tags);
    tags.push({ tagKey: 'x', tagValue: 'y' });
    expect(e.tags).toEqual([{ tagKey: 'team', tagValue: 'red' }]);
  });

  it('finds each version’s material, oldest first in the list', () => {
    const e = entry(V2);
    e.addMaterial(material(V1));
    e.addMaterial(material(V2));
    expect(e.materials.map((m) => m.version)).toEqual([V1, V2]);
    expect(materialOf(e, V1)?.version).toBe(V1);
    expect(materialOf(e, V2)?.version).toBe(V2);
    expect(materialOf(e, '33'.repeat(16))).toBeUndefined();
  });

  it('keeps the current version’s slot beside the key, and an earlier one after rotation', () => {
    const e = entry(V1);
    expect(e.isWarm).toBe(false);
    expect(e.secret(V1)).toBe(NO_SLOT);
    e.keepSecret(V1, 7);
    expect(e.isWarm).toBe(true);
    expect(e.secret(V1)).toBe(7);
    e.row = { ...e.row, currentVersion: V2 };
    expect(e.isWarm).toBe(false);
    e.keepSecret(V2, 9);
    expect(e.isWarm).toBe(true);
    expect(e.secret(V2)).toBe(9);
    expect(e.secret(V1)).toBe(7);
    expect(e.secret('33'.repeat(16))).toBe(NO_SLOT);
  });

  it('refuses a second slot for a version it holds, which would leak the first', () => {
    const e = entry(V1);
    e.keepSecret(V1, 1);
    expect(() => {
      e.keepSecret(V1, 2);
    }).toThrow(/kept already/);
    e.keepSecret(V2, 3);
    expect(() => {
      e.keepSecret(V2, 4);
    }).toThrow(/kept already/);
    expect(e.secret(V1)).toBe(1);
    expect(e.secret(V2)).toBe(3);
  });

  it('takes over what its previous entry unwrapped and the use it knew of; the previous holds none', () => {
    const before = entry(V1);
    before.keepSecret(V1, 4);
    before.noteUsage({ keyId: KEY_ID, operation: 'Encrypt', at: 5, requestId: 'r5' });
    const after = entry(V2);
    after.adopt(before);
    expect(after.isWarm).toBe(false);
    expect(after.secret(V1)).toBe(4);
    expect(before.secret(V1)).toBe(NO_SLOT);
    const released: number[] = [];
    before.releaseSecrets({ release: (slot) => released.push(slot) });
    expect(released).toEqual([]);
    expect(after.lastUsage()).toEqual({
      keyId: KEY_ID,
      operation: 'Encrypt',
      at: 5,
      requestId: 'r5',
    });
  });

  it('adopts only while it holds no material of its own', () => {
    const before = entry(V1);
    before.keepSecret(V1, 1);
    const after = entry(V1);
    after.keepSecret(V1, 2);
    expect(() => {
      after.adopt(before);
    }).toThrow(/holds no material/);
    expect(before.secret(V1)).toBe(1);
  });

  it('gives up every slot it holds, once', () => {
    const e = entry(V1);
    e.keepSecret(V1, 1);
    e.row = { ...e.row, currentVersion: V2 };
    e.keepSecret(V2, 2);
    const released: number[] = [];
    e.releaseSecrets({ release: (slot) => released.push(slot) });
    expect(released.sort()).toEqual([1, 2]);
    expect(e.secret(V1)).toBe(NO_SLOT);
    expect(e.secret(V2)).toBe(NO_SLOT);
    expect(e.isWarm).toBe(false);
    e.releaseSecrets({ release: (slot) => released.push(slot) });
    expect(released).toHaveLength(2);
  });

  it('notes its last use, and a stored use only when later', () => {
    const e = entry();
    expect(e.lastUsage()).toBeUndefined();
    e.mergeUsage({ keyId: KEY_ID, operation: 'Decrypt', at: 3, requestId: 'r3' });
    expect(e.lastUsage()?.requestId).toBe('r3');
    e.noteUsage({ keyId: KEY_ID, operation: 'Encrypt', at: 5, requestId: 'r5' });
    e.mergeUsage({ keyId: KEY_ID, operation: 'Decrypt', at: 5, requestId: 'other' });
    e.mergeUsage({ keyId: KEY_ID, operation: 'Decrypt', at: 4, requestId: 'r4' });
    expect(e.lastUsage()?.requestId).toBe('r5');
    e.mergeUsage({ keyId: KEY_ID, operation: 'Sign', at: 6, requestId: 'r6' });
    expect(e.lastUsage()).toMatchObject({ operation: 'Sign', at: 6, requestId: 'r6' });
  });
});

describe('pooled key rows', () => {
  it('copies the row with equal content', () => {
    const pool = new StringPool();
    const row = keyRow(KEY_ID, { description: 'd', policy: '{"Statement":[]}' });
    const pooled = pooledRow(row, pool);
    expect(pooled).toEqual(row);
    expect(pooled).not.toBe(row);
    expect(pool.size.texts).toBeGreaterThan(5);
  });
});
