// The behaviour every GrantStore implementation must show, as one suite that each implementation's
// test runs with its own factory.
import { describe, expect, it } from 'vitest';
import type { GrantRow, GrantStore } from '../../src/store/grant-store.js';

export interface GrantStoreFixture {
  readonly store: GrantStore;
  /** Creates a key row the grants can refer to. */
  addKey(keyId: string): Promise<void>;
  /** Deletes a key row the way the key store destroys a key. */
  deleteKey(keyId: string): Promise<void>;
  /** Reopens the same database, as a restart would. */
  reopen(): Promise<GrantStore>;
  close(): Promise<void>;
}

function row(grantId: string, keyId: string, overrides: Partial<GrantRow> = {}): GrantRow {
  return {
    grantId,
    keyId,
    name: null,
    createdAt: 1_700_000_000_000,
    granteePrincipal: 'arn:aws:iam::111122223333:user/alice',
    granteeServicePrincipal: null,
    retiringPrincipal: null,
    retiringServicePrincipal: null,
    issuingAccount: 'arn:aws:iam::111122223333:root',
    operations: '["Decrypt"]',
    constraints: null,
    ...overrides,
  };
}

const hash = (n: number) => Buffer.alloc(32, n);

export function describeGrantStoreContract(name: string, make: () => Promise<GrantStoreFixture>) {
  describe(`${name} grant store`, () => {
    it('returns what it stored, after a restart too', async () => {
      const f = await make();
      await f.addKey('k1');
      const stored = row('g1', 'k1', {
        name: 'n',
        retiringPrincipal: 'arn:aws:iam::111122223333:role/r',
        constraints: '{"equals":{"a":"1"}}',
      });
      await f.store.putGrant(stored, { grantId: 'g1', tokenHash: hash(1) });
      await f.store.addToken({ grantId: 'g1', tokenHash: hash(2) });
      const reopened = await f.reopen();
      const snap = await reopened.loadAll();
      expect(snap.grants).toEqual([stored]);
      expect(snap.tokens.map((t) => t.tokenHash.toString('hex')).sort()).toEqual(
        [hash(1), hash(2)].map((b) => b.toString('hex')),
      );
      await f.close();
    });

    it('deletes a grant with its token hashes', async () => {
      const f = await make();
      await f.addKey('k1');
      await f.store.putGrant(row('g1', 'k1'), { grantId: 'g1', tokenHash: hash(1) });
      await f.store.putGrant(row('g2', 'k1'), { grantId: 'g2', tokenHash: hash(2) });
      await f.store.deleteGrant('g1');
      await f.store.deleteGrant('missing');
      const snap = await f.store.loadAll();
      expect(snap.grants.map((g) => g.grantId)).toEqual(['g2']);
      expect(snap.tokens.map((t) => t.grantId)).toEqual(['g2']);
      await f.close();
    });

    it('loses the grants of a key that is deleted', async () => {
      const f = await make();
      await f.addKey('k1');
      await f.addKey('k2');
      await f.store.putGrant(row('g1', 'k1'), { grantId: 'g1', tokenHash: hash(1) });
      await f.store.putGrant(row('g2', 'k2'), { grantId: 'g2', tokenHash: hash(2) });
      await f.deleteKey('k1');
      const snap = await f.store.loadAll();
      expect(snap.grants.map((g) => g.grantId)).toEqual(['g2']);
      expect(snap.tokens.map((t) => t.grantId)).toEqual(['g2']);
      await f.close();
    });

    it('refuses a grant for a key that does not exist', async () => {
      const f = await make();
      await expect(
        f.store.putGrant(row('g1', 'nope'), { grantId: 'g1', tokenHash: hash(1) }),
      ).rejects.toThrow();
      expect((await f.store.loadAll()).grants).toEqual([]);
      await f.close();
    });

    it('refuses a second grant with the same id and keeps the first', async () => {
      const f = await make();
      await f.addKey('k1');
      await f.store.putGrant(row('g1', 'k1'), { grantId: 'g1', tokenHash: hash(1) });
      await expect(
        f.store.putGrant(row('g1', 'k1', { name: 'again' }), { grantId: 'g1', tokenHash: hash(3) }),
      ).rejects.toThrow();
      const snap = await f.store.loadAll();
      expect(snap.grants.map((g) => g.name)).toEqual([null]);
      expect(snap.tokens).toHaveLength(1);
      await f.close();
    });
  });
}
