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
import { kmsClient, testConfig } from './harness.js';

let trent: Trent | undefined;
let logText = '';

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
});

async function errorOf(p: Promise<unknown>): Promise<KMSServiceException> {
  try {
    await p;
  } catch (err) {
    if (err instanceof KMSServiceException) return err;
    throw err;
  }
  throw new Error('expected the request to fail');
}

describe('audit trail fails closed', () => {
  it('refuses cryptographic and mutating requests while records cannot be written, and serves reads', async () => {
    const t = await start();
    const kms = kmsClient(t.url);
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const keyId = KeyMetadata!.KeyId!;
    const store = t.auditStore as { append: typeof t.auditStore.append };
    const append = store.append;
    store.append = () => Promise.reject(new Error('SQLITE_FULL: database or disk is full'));
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

    store.append = append;
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
    const t = await start({ auditQueueLimit: 2 });
    const kms = kmsClient(t.url);
    const store = t.auditStore as { append: typeof t.auditStore.append };
    store.append = () => Promise.reject(new Error('disk I/O error'));
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
    const t = await start({ auditDurability: 'sync' });
    const kms = kmsClient(t.url);
    const out = await kms.send(new CreateKeyCommand({}));
    const rows = await t.auditStore.query({});
    expect(rows.map((r) => (JSON.parse(r.event) as AuditEvent).requestID)).toEqual([
      out.$metadata.requestId,
    ]);
    const store = t.auditStore as { append: typeof t.auditStore.append };
    store.append = () => Promise.reject(new Error('disk I/O error'));
    const refused = await errorOf(
      kms.send(new DescribeKeyCommand({ KeyId: out.KeyMetadata!.KeyId })),
    );
    // Precondition: in sync mode nothing is answered without its committed record.
    expect(refused.name).toBe('KMSInternalException');
    kms.destroy();
  });
});
