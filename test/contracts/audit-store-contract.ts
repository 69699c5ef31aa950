// The behaviour every AuditStore implementation must show, as one suite that each implementation's
// test runs with its own factory.
import { describe, expect, it } from 'vitest';
import type { AuditRow, AuditStore } from '../../src/store/audit-store.js';

export interface AuditStoreFixture {
  readonly store: AuditStore;
  /** Reopens the same database, as a restart would. */
  reopen(): Promise<AuditStore>;
  close(): Promise<void>;
}

function row(seq: number, overrides: Partial<AuditRow> = {}): AuditRow {
  return {
    seq,
    eventTime: 1_700_000_000_000 + seq * 1000,
    eventId: `event-${String(seq)}`,
    eventName: seq % 2 === 0 ? 'Encrypt' : 'DescribeKey',
    principalArn: 'arn:aws:iam::111122223333:root',
    keyArns: `arn:aws:kms:us-east-1:111122223333:key/k${String(seq % 3)}`,
    errorCode: seq % 4 === 0 ? 'NotFoundException' : null,
    event: `{"n":${String(seq)}}`,
    prevHash: String(seq - 1).padStart(64, '0'),
    hash: String(seq).padStart(64, '0'),
    ...overrides,
  };
}

const seqs = (rows: readonly AuditRow[]) => rows.map((r) => r.seq);

export function describeAuditStoreContract(name: string, make: () => Promise<AuditStoreFixture>) {
  describe(`${name} audit store`, () => {
    it('returns what it appended, in order, after a restart too', async () => {
      const f = await make();
      await f.store.append([row(1), row(2)]);
      await f.store.append([row(3)]);
      const again = await f.reopen();
      expect(await again.query({})).toEqual([row(1), row(2), row(3)]);
      expect(await again.last()).toEqual(row(3));
      await f.close();
    });

    it('appends a batch all or nothing', async () => {
      const f = await make();
      await f.store.append([row(1)]);
      await expect(f.store.append([row(2), row(1)])).rejects.toThrow();
      expect(seqs(await f.store.query({}))).toEqual([1]);
      await f.close();
    });

    it('filters by time, key, principal, operation, outcome and position', async () => {
      const f = await make();
      await f.store.append([1, 2, 3, 4, 5, 6, 7, 8].map((n) => row(n)));
      const s = f.store;
      expect(seqs(await s.query({ since: row(3).eventTime, until: row(6).eventTime }))).toEqual([
        3, 4, 5,
      ]);
      expect(seqs(await s.query({ key: 'k1' }))).toEqual([1, 4, 7]);
      expect(seqs(await s.query({ key: 'arn:aws:kms:us-east-1:111122223333:key/k2' }))).toEqual([
        2, 5, 8,
      ]);
      expect(seqs(await s.query({ key: 'k' }))).toEqual([]);
      expect(seqs(await s.query({ eventName: 'Encrypt', outcome: 'success' }))).toEqual([2, 6]);
      expect(seqs(await s.query({ outcome: 'failure' }))).toEqual([4, 8]);
      expect(seqs(await s.query({ principalArn: 'arn:aws:iam::111122223333:user/bob' }))).toEqual(
        [],
      );
      expect(seqs(await s.query({ afterSeq: 5, limit: 2 }))).toEqual([6, 7]);
      await f.close();
    });

    it('treats filter text literally, wildcards included', async () => {
      const f = await make();
      await f.store.append([row(1, { keyArns: 'arn:aws:kms:us-east-1:111122223333:key/a_b' })]);
      expect(seqs(await f.store.query({ key: 'a%' }))).toEqual([]);
      expect(seqs(await f.store.query({ key: 'a_b' }))).toEqual([1]);
      expect(seqs(await f.store.query({ key: 'axb' }))).toEqual([]);
      await f.close();
    });

    it('prunes a prefix and keeps the checkpoint, after a restart too', async () => {
      const f = await make();
      await f.store.append([1, 2, 3, 4].map((n) => row(n)));
      expect(await f.store.checkpoint()).toBeUndefined();
      const checkpoint = { seq: 2, hash: row(2).hash, prunedAt: 5, prunedBefore: 4 };
      expect(await f.store.prune(checkpoint)).toBe(2);
      const again = await f.reopen();
      expect(seqs(await again.query({}))).toEqual([3, 4]);
      expect(await again.checkpoint()).toEqual(checkpoint);
      await f.close();
    });
  });
}
