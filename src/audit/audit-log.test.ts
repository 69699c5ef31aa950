import { beforeEach, describe, expect, it } from 'vitest';
import { openSqliteDatabase } from '../store/sqlite/database.js';
import { sqliteAuditStore } from '../store/sqlite/audit-store.js';
import type { AuditRow, AuditStore } from '../store/audit-store.js';
import { sampleAuditEvent, silentAuditLogger } from '../../test/fakes/audit-events.js';
import { AuditLog, AuditUnavailableError, type AuditLogOptions } from './audit-log.js';
import { auditEntryOf } from './hash-chain.js';
import { verifyAuditChain } from './verify-chain.js';
import { anchorProblem, parseAnchor } from './anchor.js';

/** The SQLite audit store with a switch that makes appends fail, and a count of transactions. */
function flakyStore(): AuditStore & { failing: boolean; batches: number[] } {
  const inner = sqliteAuditStore(openSqliteDatabase(':memory:'));
  const store = {
    ...inner,
    failing: false,
    batches: [] as number[],
    append(rows: readonly AuditRow[]) {
      if (store.failing) return Promise.reject(new Error('disk I/O error'));
      store.batches.push(rows.length);
      return inner.append(rows);
    },
  };
  return store;
}

let store: ReturnType<typeof flakyStore>;
const options = (over: Partial<AuditLogOptions> = {}): AuditLogOptions => ({
  store,
  durability: 'async',
  flushIntervalMs: 60_000,
  queueLimit: 100,
  logger: silentAuditLogger,
  ...over,
});

beforeEach(() => {
  store = flakyStore();
  silentAuditLogger.lines.length = 0;
});

describe('audit log writer', () => {
  it('holds records in memory until a flush commits them in one transaction', async () => {
    const log = await AuditLog.open(options());
    for (let n = 1; n <= 5; n++) await log.record(sampleAuditEvent(n));
    expect(await store.query({})).toHaveLength(0);
    await log.flush();
    expect(store.batches).toEqual([5]);
    expect(await store.query({})).toHaveLength(5);
    await log.close();
  });

  it('commits queued records on close', async () => {
    const log = await AuditLog.open(options());
    await log.record(sampleAuditEvent(1));
    await log.close();
    expect(await store.query({})).toHaveLength(1);
  });

  it('commits within the flush interval without being asked', async () => {
    const log = await AuditLog.open(options({ flushIntervalMs: 10 }));
    await log.record(sampleAuditEvent(1));
    await expect.poll(async () => (await store.query({})).length).toBe(1);
    await log.close();
  });

  it('in sync mode resolves each record after its commit and batches concurrent records', async () => {
    const log = await AuditLog.open(options({ durability: 'sync' }));
    const all = [1, 2, 3, 4].map((n) => log.record(sampleAuditEvent(n)));
    await Promise.all(all);
    expect(store.batches).toEqual([4]);
    expect(await store.query({})).toHaveLength(4);
    await log.close();
  });

  it('becomes unavailable when the store cannot write, and logs it once', async () => {
    const log = await AuditLog.open(options());
    store.failing = true;
    await log.record(sampleAuditEvent(1));
    await log.flush();
    await log.record(sampleAuditEvent(2));
    await log.flush();
    expect(log.isAvailable).toBe(false);
    expect(
      silentAuditLogger.lines.filter((l) => l.includes('audit trail unavailable')),
    ).toHaveLength(1);
    store.failing = false;
    await log.flush();
    expect(log.isAvailable).toBe(true);
    expect(await store.query({})).toHaveLength(2);
    expect((await verifyAuditChain(store)).broken).toBeUndefined();
    await log.close();
  });

  it('in sync mode rejects a record whose commit fails and writes it once the store recovers', async () => {
    const log = await AuditLog.open(options({ durability: 'sync' }));
    store.failing = true;
    await expect(log.record(sampleAuditEvent(1))).rejects.toBeInstanceOf(AuditUnavailableError);
    store.failing = false;
    await log.flush();
    expect(await store.query({})).toHaveLength(1);
    await log.close();
  });

  it('refuses records once the queue is full', async () => {
    const log = await AuditLog.open(options({ queueLimit: 3 }));
    store.failing = true;
    for (let n = 1; n <= 3; n++) await log.record(sampleAuditEvent(n));
    expect(log.isAvailable).toBe(false);
    await expect(log.record(sampleAuditEvent(4))).rejects.toBeInstanceOf(AuditUnavailableError);
    store.failing = false;
    await log.close();
    expect(await store.query({})).toHaveLength(3);
  });

  it('queues entries as far as the queue has room, in order, and commits them like records', async () => {
    const log = await AuditLog.open(options({ queueLimit: 4 }));
    const entries = [1, 2, 3, 4, 5, 6].map((n) => auditEntryOf(sampleAuditEvent(n)));
    await log.record(sampleAuditEvent(7));
    expect(log.queueEntries(entries, 1)).toBe(3);
    expect(log.queueEntries(entries, 4)).toBe(0);
    expect(log.isAvailable).toBe(false);
    await log.flush();
    expect(log.queueEntries(entries, 4)).toBe(2);
    await log.flush();
    expect((await store.query({})).map((r) => r.eventId)).toEqual([
      'event-7',
      'event-2',
      'event-3',
      'event-4',
      'event-5',
      'event-6',
    ]);
    expect((await verifyAuditChain(store)).broken).toBeUndefined();
    await log.close();
  });

  it('in sync mode commits queued entries at once, beside records waited for', async () => {
    const log = await AuditLog.open(options({ durability: 'sync' }));
    log.queueEntries([auditEntryOf(sampleAuditEvent(1))], 0);
    await log.record(sampleAuditEvent(2));
    expect(store.batches).toEqual([2]);
    await log.close();
  });

  it('logs the chain head at shutdown as an anchor that verify accepts', async () => {
    const log = await AuditLog.open(options());
    for (let n = 1; n <= 3; n++) await log.record(sampleAuditEvent(n));
    await log.close();
    const line = silentAuditLogger.lines.find((l) => l.includes('audit chain head at shutdown'))!;
    const anchor = parseAnchor(
      (JSON.parse(line.slice(line.indexOf('{'))) as { auditAnchor: string }).auditAnchor,
    )!;
    expect(anchor.seq).toBe(3);
    expect(await anchorProblem(store, await verifyAuditChain(store), anchor)).toBeUndefined();
  });
});
