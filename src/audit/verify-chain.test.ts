import { beforeEach, describe, expect, it } from 'vitest';
import { openSqliteDatabase, type SqliteDatabase } from '../store/sqlite/database.js';
import { sqliteAuditStore } from '../store/sqlite/audit-store.js';
import type { AuditStore } from '../store/audit-store.js';
import { sampleAuditEvent, silentAuditLogger } from '../../test/fakes/audit-events.js';
import { AuditLog } from './audit-log.js';
import { pruneAuditTrail } from './retention.js';
import { verifyAuditChain } from './verify-chain.js';
import { anchorProblem, parseAnchor } from './anchor.js';

let db: SqliteDatabase;
let store: AuditStore;

async function writeEvents(from: number, to: number): Promise<void> {
  const log = await AuditLog.open({
    store,
    durability: 'async',
    flushIntervalMs: 60_000,
    queueLimit: 1000,
    logger: silentAuditLogger,
  });
  for (let n = from; n <= to; n++) await log.record(sampleAuditEvent(n));
  await log.close();
}

beforeEach(async () => {
  db = openSqliteDatabase(':memory:');
  store = sqliteAuditStore(db);
  await writeEvents(1, 6);
});

describe('audit chain verification', () => {
  it('accepts an untouched chain and reports its head', async () => {
    const report = await verifyAuditChain(store);
    expect(report.broken).toBeUndefined();
    expect(report.records).toBe(6);
    expect(report.headSeq).toBe(6);
    expect(report.headHash).toBe((await store.last())!.hash);
  });

  it('continues one chain across writer restarts', async () => {
    await writeEvents(7, 9);
    const report = await verifyAuditChain(store);
    expect(report.broken).toBeUndefined();
    expect(report.records).toBe(9);
  });

  it('names an edited record', async () => {
    const row = db
      .prepare<[], { event: string }>('SELECT event FROM audit_records WHERE seq = 3')
      .get()!;
    const edited = row.event.replace('"eventName":"DescribeKey"', '"eventName":"ListKeys"');
    db.prepare('UPDATE audit_records SET event = ? WHERE seq = 3').run(edited);
    expect((await verifyAuditChain(store)).broken?.seq).toBe(3);
  });

  it('names the record after one edited together with its own hash', async () => {
    db.prepare('UPDATE audit_records SET hash = ? WHERE seq = 3').run('f'.repeat(64));
    const report = await verifyAuditChain(store);
    expect(report.broken?.seq).toBe(3);
  });

  it('names the record after a deleted one', async () => {
    db.prepare('DELETE FROM audit_records WHERE seq = 4').run();
    const report = await verifyAuditChain(store);
    expect(report.broken?.seq).toBe(5);
    expect(report.broken?.reason).toMatch(/missing/);
  });

  it('detects a deleted first record', async () => {
    db.prepare('DELETE FROM audit_records WHERE seq = 1').run();
    expect((await verifyAuditChain(store)).broken?.seq).toBe(2);
  });

  it('detects an inserted record', async () => {
    db.prepare('UPDATE audit_records SET seq = -seq WHERE seq >= 4').run();
    db.prepare('UPDATE audit_records SET seq = 1 - seq WHERE seq < 0').run();
    const r = db
      .prepare<[], Record<string, unknown>>('SELECT * FROM audit_records WHERE seq = 5')
      .get()!;
    db.prepare(
      `INSERT INTO audit_records VALUES (4, @event_time, 'forged', @event_name, @principal_arn, @key_arns,
       @error_code, @event, @prev_hash, @hash)`,
    ).run(r);
    expect((await verifyAuditChain(store)).broken?.seq).toBe(4);
  });

  it('detects two records swapped', async () => {
    const a = db
      .prepare<[], Record<string, unknown>>('SELECT * FROM audit_records WHERE seq = 2')
      .get()!;
    const b = db
      .prepare<[], Record<string, unknown>>('SELECT * FROM audit_records WHERE seq = 3')
      .get()!;
    const put = db.prepare(`UPDATE audit_records SET event_time = @event_time, event_id = @event_id,
      event_name = @event_name, principal_arn = @principal_arn, key_arns = @key_arns, error_code = @error_code,
      event = @event, prev_hash = @prev_hash, hash = @hash WHERE seq = @target`);
    put.run({ ...b, target: 2 });
    put.run({ ...a, target: 3 });
    expect((await verifyAuditChain(store)).broken?.seq).toBe(2);
  });

  it('detects an index column that no longer matches its event', async () => {
    db.prepare('UPDATE audit_records SET error_code = NULL WHERE seq = 3').run();
    const report = await verifyAuditChain(store);
    expect(report.broken?.seq).toBe(3);
    expect(report.broken?.reason).toMatch(/index columns/);
  });
});

describe('audit retention', () => {
  it('prunes a prefix and verifies the rest from the checkpoint', async () => {
    const cutoff = Date.parse(sampleAuditEvent(4).eventTime);
    const result = await pruneAuditTrail(store, cutoff, Date.now());
    expect(result).toEqual({ removed: 3, checkpointSeq: 3 });
    const report = await verifyAuditChain(store);
    expect(report.broken).toBeUndefined();
    expect(report.startSeq).toBe(3);
    expect(report.records).toBe(3);
  });

  it('keeps chaining new records after everything was pruned', async () => {
    await pruneAuditTrail(store, Date.UTC(2030, 0, 1), Date.now());
    expect(await store.query({})).toHaveLength(0);
    await writeEvents(7, 8);
    const report = await verifyAuditChain(store);
    expect(report.broken).toBeUndefined();
    expect(report.startSeq).toBe(6);
    expect(report.records).toBe(2);
  });

  it('stops the pruned prefix at the first record inside the retention period', async () => {
    // Record 2 is young although records 3 and 4 are old: positions follow commit order.
    db.prepare('UPDATE audit_records SET event_time = ? WHERE seq = 2').run(Date.UTC(2030, 0, 1));
    const result = await pruneAuditTrail(
      store,
      Date.parse(sampleAuditEvent(5).eventTime),
      Date.now(),
    );
    expect(result.checkpointSeq).toBe(1);
  });

  it('detects a checkpoint removed after pruning', async () => {
    await pruneAuditTrail(store, Date.parse(sampleAuditEvent(4).eventTime), Date.now());
    db.prepare('DELETE FROM audit_checkpoint').run();
    expect((await verifyAuditChain(store)).broken?.seq).toBe(4);
  });
});

describe('audit anchors', () => {
  it('accepts a chain that still holds the anchored record', async () => {
    const head = await verifyAuditChain(store);
    await writeEvents(7, 8);
    const anchor = parseAnchor(`${String(head.headSeq)}:${head.headHash}`)!;
    expect(await anchorProblem(store, await verifyAuditChain(store), anchor)).toBeUndefined();
  });

  it('detects records cut from the end of the chain', async () => {
    const head = await verifyAuditChain(store);
    db.prepare('DELETE FROM audit_records WHERE seq >= 5').run();
    const report = await verifyAuditChain(store);
    expect(report.broken).toBeUndefined();
    const problem = await anchorProblem(store, report, { seq: head.headSeq, hash: head.headHash });
    expect(problem).toMatch(/removed from the end/);
  });

  it('detects a chain rewritten with recomputed hashes', async () => {
    const head = await verifyAuditChain(store);
    db.prepare('DELETE FROM audit_records').run();
    await writeEvents(10, 15);
    const report = await verifyAuditChain(store);
    expect(report.broken).toBeUndefined();
    const problem = await anchorProblem(store, report, { seq: head.headSeq, hash: head.headHash });
    expect(problem).toMatch(/rewritten/);
  });

  it('rejects a malformed anchor', () => {
    expect(parseAnchor('12:abc')).toBeUndefined();
  });
});
