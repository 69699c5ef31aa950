import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CreateKeyCommand,
  DescribeKeyCommand,
  EncryptCommand,
  KMSServiceException,
} from '@aws-sdk/client-kms';
import { pino } from 'pino';
import { startTrent, type Trent } from '../../src/main.js';
import type { AuditEvent } from '../../src/audit/audit-event.js';
import { verifyAuditChain } from '../../src/audit/verify-chain.js';
import type { Config } from '../../src/config/schema.js';
import { openSqliteDatabase, type SqliteDatabase } from '../../src/store/sqlite/database.js';
import { kmsClient, testConfig } from './harness.js';

let trent: Trent | undefined;
let logText = '';
const cleanups: (() => void)[] = [];

async function start(overrides: Partial<Config> = {}): Promise<Trent> {
  logText = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logText += chunk.toString('utf8');
      done();
    },
  });
  trent = await startTrent(testConfig(overrides), { logger: pino({ level: 'info' }, sink) });
  return trent;
}

afterEach(async () => {
  await trent?.close();
  trent = undefined;
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** Makes the audit trail's store refuse writes, and lets it write again. */
interface Refusal {
  refuse(t: Trent): void;
  allow(t: Trent): void;
}

/**
 * In dev mode the audit log runs on the serving thread over the server's own store, so the test swaps
 * that store's append. With a database file it runs in its own thread with its own connection: a
 * trigger then makes the database itself refuse audit rows, as a full disk would.
 */
const variants: {
  name: string;
  config: () => Partial<Config>;
  refusal: () => Refusal;
}[] = [
  {
    name: 'audit log on the serving thread (dev, in-memory store)',
    config: () => ({}),
    refusal: () => {
      let append: Trent['auditStore']['append'] | undefined;
      return {
        refuse(t) {
          const store = t.auditStore as { append: typeof t.auditStore.append };
          append ??= store.append;
          store.append = () => Promise.reject(new Error('SQLITE_FULL: database or disk is full'));
        },
        allow(t) {
          if (append) (t.auditStore as { append: typeof t.auditStore.append }).append = append;
        },
      };
    },
  },
  {
    name: 'audit log in its own thread (database file)',
    config: () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'trent-audit-fail-'));
      cleanups.push(() => {
        rmSync(dataDir, { recursive: true, force: true });
      });
      return { dev: false, dataDir };
    },
    refusal: () => {
      let db: SqliteDatabase | undefined;
      return {
        refuse(t) {
          if (db === undefined) {
            const opened = openSqliteDatabase(join(t.services.config.dataDir, 'trent.db'));
            db = opened;
            cleanups.unshift(() => {
              opened.close();
            });
          }
          db.exec(`CREATE TRIGGER IF NOT EXISTS refuse_audit BEFORE INSERT ON audit_records
            BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`);
        },
        allow() {
          db?.exec('DROP TRIGGER IF EXISTS refuse_audit');
        },
      };
    },
  },
];

async function errorOf(p: Promise<unknown>): Promise<KMSServiceException> {
  try {
    await p;
  } catch (err) {
    if (err instanceof KMSServiceException) return err;
    throw err;
  }
  throw new Error('expected the request to fail');
}

describe.each(variants)('audit trail fails closed: $name', ({ config, refusal }) => {
  it('refuses cryptographic and mutating requests while records cannot be written, and serves reads', async () => {
    const t = await start(config());
    const store = refusal();
    const kms = kmsClient(t.url);
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const keyId = KeyMetadata!.KeyId!;
    store.refuse(t);
    await t.audit.flush();
    expect(t.audit.isAvailable).toBe(false);

    const refused = await errorOf(
      kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') })),
    );
    expect(refused.name).toBe('KMSInternalException');
    expect(refused.message).toMatch(/audit trail is unavailable/);
    expect((await errorOf(kms.send(new CreateKeyCommand({})))).name).toBe('KMSInternalException');
    const described = await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
    expect(described.KeyMetadata!.KeyId).toBe(keyId);
    expect((await fetch(`${t.url}/healthz`)).status).toBe(503);
    expect(logText).toMatch(/audit trail unavailable/);

    store.allow(t);
    await t.audit.flush();
    expect(t.audit.isAvailable).toBe(true);
    await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') }));
    await t.audit.flush();
    const events = (await t.auditStore.query({})).map((r) => JSON.parse(r.event) as AuditEvent);
    expect(events.map((e) => [e.eventName, e.errorCode])).toEqual([
      ['CreateKey', null],
      ['Encrypt', 'KMSInternalException'],
      ['CreateKey', 'KMSInternalException'],
      ['DescribeKey', null],
      ['Encrypt', null],
    ]);
    // The refused request's record says who asked for which key.
    expect(events[1]).toMatchObject({
      requestParameters: { keyId },
      userIdentity: { arn: 'arn:aws:iam::111122223333:root' },
    });
    expect((await verifyAuditChain(t.auditStore)).broken).toBeUndefined();
    kms.destroy();
  });

  it('refuses every request once the queue is full', async () => {
    const t = await start({ ...config(), auditQueueLimit: 2 });
    const kms = kmsClient(t.url);
    refusal().refuse(t);
    const listKeys = () =>
      fetch(`${t.url}/`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'TrentService.ListKeys',
        },
        body: '{}',
      });
    expect((await listKeys()).status).toBe(200);
    await t.audit.flush();
    expect((await listKeys()).status).toBe(200);
    const res = await listKeys();
    expect(res.status).toBe(500);
    expect(logText).toMatch(/queue full/);
    kms.destroy();
  });

  it('in sync mode answers only once the record is committed', async () => {
    const t = await start({ ...config(), auditDurability: 'sync' });
    const kms = kmsClient(t.url);
    const out = await kms.send(new CreateKeyCommand({}));
    const rows = await t.auditStore.query({});
    expect(rows.map((r) => (JSON.parse(r.event) as AuditEvent).requestID)).toEqual([
      out.$metadata.requestId,
    ]);
    refusal().refuse(t);
    const refused = await errorOf(
      kms.send(new DescribeKeyCommand({ KeyId: out.KeyMetadata!.KeyId })),
    );
    // Precondition: in sync mode nothing is answered without its committed record.
    expect(refused.name).toBe('KMSInternalException');
    kms.destroy();
  });
});
