// The thread runs the build output (dist/), which `npm test` builds first.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleAuditEvent, silentAuditLogger } from '../../test/fakes/audit-events.js';
import { openSqliteDatabase, type SqliteDatabase } from '../store/sqlite/database.js';
import { sqliteAuditStore } from '../store/sqlite/audit-store.js';
import type { AuditStore } from '../store/audit-store.js';
import { AuditLog, type AuditDurability } from './audit-log.js';
import { openAuditWriter, type AuditWriter } from './audit-writer.js';
import { verifyAuditChain } from './verify-chain.js';

let dir: string;
let path: string;
let db: SqliteDatabase;
let store: AuditStore;
let writer: AuditWriter | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trent-audit-writer-'));
  path = join(dir, 'trent.db');
  db = openSqliteDatabase(path);
  store = sqliteAuditStore(db);
  silentAuditLogger.lines.length = 0;
});

afterEach(async () => {
  await writer?.close();
  writer = undefined;
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Opens the writer on the test's database file, or with `null` on this thread. */
function open(durability: AuditDurability, databasePath: string | null = path) {
  return openAuditWriter({
    databasePath: databasePath ?? undefined,
    store,
    durability,
    flushIntervalMs: 60_000,
    queueLimit: 100,
    logger: silentAuditLogger,
  });
}

describe('audit writer', () => {
  it('with a database file commits from a worker thread through its own connection', async () => {
    writer = await open('async');
    expect(writer).not.toBeInstanceOf(AuditLog);
    expect(writer.isAvailable).toBe(true);
    for (let n = 1; n <= 3; n++) await writer.record(sampleAuditEvent(n));
    await writer.flush();
    expect(await store.query({})).toHaveLength(3);
    expect(writer.head).toEqual({ seq: 3, hash: (await store.last())!.hash });
    expect((await verifyAuditChain(store)).broken).toBeUndefined();
  });

  it('continues the chain the file holds and commits what is queued on close', async () => {
    writer = await open('async');
    await writer.record(sampleAuditEvent(1));
    await writer.close();
    writer = await open('async');
    await writer.record(sampleAuditEvent(2));
    await writer.close();
    writer = undefined;
    expect((await store.query({})).map((r) => r.seq)).toEqual([1, 2]);
    expect((await verifyAuditChain(store)).broken).toBeUndefined();
    // The thread's log lines reach this thread's logger.
    expect(
      silentAuditLogger.lines.filter((l) => l.includes('audit chain head at shutdown')),
    ).toHaveLength(2);
  });

  it('in sync mode resolves a record once it is in the database file', async () => {
    writer = await open('sync');
    await writer.record(sampleAuditEvent(1));
    expect(await store.query({})).toHaveLength(1);
  });

  it('fails closed while the database refuses audit writes, and recovers', async () => {
    writer = await open('async');
    db.exec(`CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_records
      BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`);
    await writer.record(sampleAuditEvent(1));
    await writer.flush();
    expect(writer.isAvailable).toBe(false);
    // The thread's log lines come over its own port, not the audit channel: they may come later.
    await expect
      .poll(() => silentAuditLogger.lines.some((l) => l.includes('cannot write records')))
      .toBe(true);
    db.exec('DROP TRIGGER refuse_audit');
    await writer.flush();
    expect(writer.isAvailable).toBe(true);
    expect(await store.query({})).toHaveLength(1);
  });

  it('refuses to start when the thread cannot open the database', async () => {
    await expect(open('async', join(dir, 'missing', 'trent.db'))).rejects.toThrow(
      /cannot open the audit trail/,
    );
  });

  it('without a database file keeps the AuditLog on this thread', async () => {
    writer = await open('async', null);
    expect(writer).toBeInstanceOf(AuditLog);
    await writer.record(sampleAuditEvent(1));
    await writer.flush();
    expect(await store.query({})).toHaveLength(1);
  });
});
