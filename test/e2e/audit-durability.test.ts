import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { CreateKeyCommand, EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { AuditEvent } from '../../src/audit/audit-event.js';
import { verifyAuditChain } from '../../src/audit/verify-chain.js';
import { openSqliteDatabase } from '../../src/store/sqlite/database.js';
import { sqliteAuditStore } from '../../src/store/sqlite/audit-store.js';
import { startTrentProcess } from './process.js';

const FLUSH_INTERVAL_MS = 200;
const dirs: string[] = [];
const children: ChildProcess[] = [];

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Starts `trent serve` as a separate process with SigV4 enforced; the client signs as the administrator. */
async function serve(
  dataDir: string,
  extra: string[],
): Promise<{ child: ChildProcess; kms: KMSClient }> {
  const running = await startTrentProcess([
    '--data-dir',
    dataDir,
    '--host',
    '127.0.0.1',
    '--log-level',
    'silent',
    ...extra,
  ]);
  children.push(running.child);
  return { child: running.child, kms: running.kms };
}

async function killHard(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

async function storedRequestIds(dataDir: string): Promise<Set<string>> {
  const db = openSqliteDatabase(join(dataDir, 'trent.db'));
  try {
    const store = sqliteAuditStore(db);
    expect((await verifyAuditChain(store)).broken).toBeUndefined();
    const events = (await store.query({})).map((r) => JSON.parse(r.event) as AuditEvent);
    // The requests were signed: their records name the administrator, not an anonymous caller.
    expect(
      events
        .filter((e) => e.eventName === 'Encrypt')
        .every((e) => e.userIdentity.type === 'IAMUser'),
    ).toBe(true);
    return new Set(events.map((e) => e.requestID));
  } finally {
    db.close();
  }
}

async function encryptMany(
  kms: KMSClient,
  keyId: string,
  n: number,
  acked: string[],
): Promise<void> {
  await Promise.all(
    Array.from({ length: n }, async () => {
      const out = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('d') }));
      acked.push(out.$metadata.requestId!);
    }),
  );
}

describe('audit durability after kill -9', { timeout: 120_000 }, () => {
  it('keeps every record older than the flush interval (async mode)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'trent-audit-async-'));
    dirs.push(dataDir);
    const { child, kms } = await serve(dataDir, [
      '--audit-flush-interval-ms',
      String(FLUSH_INTERVAL_MS),
    ]);
    const acked: string[] = [];
    const { KeyMetadata, $metadata } = await kms.send(new CreateKeyCommand({}));
    acked.push($metadata.requestId!);
    await encryptMany(kms, KeyMetadata!.KeyId!, 20, acked);
    // The stated window is one flush interval; the margin absorbs a busy machine's scheduling delays.
    await sleep(FLUSH_INTERVAL_MS + 2000);
    await killHard(child);
    kms.destroy();
    const stored = await storedRequestIds(dataDir);
    expect(acked.filter((id) => !stored.has(id))).toEqual([]);
  });

  it('keeps the record of every acknowledged request (sync mode)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'trent-audit-sync-'));
    dirs.push(dataDir);
    const { child, kms } = await serve(dataDir, [
      '--audit-durability',
      'sync',
      '--audit-flush-interval-ms',
      '60000',
    ]);
    const acked: string[] = [];
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const keyId = KeyMetadata!.KeyId!;
    await encryptMany(kms, keyId, 10, acked);
    // Kill while more requests are in flight; whatever was answered must be on disk.
    const inFlight = encryptMany(kms, keyId, 30, acked).catch(() => undefined);
    while (acked.length < 20) await sleep(1);
    const snapshot = [...acked];
    await killHard(child);
    await inFlight;
    kms.destroy();
    const stored = await storedRequestIds(dataDir);
    expect(snapshot.length).toBeGreaterThanOrEqual(20);
    expect(snapshot.filter((id) => !stored.has(id))).toEqual([]);
  });

  it('commits queued records on graceful shutdown', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'trent-audit-term-'));
    dirs.push(dataDir);
    const { child, kms } = await serve(dataDir, ['--audit-flush-interval-ms', '60000']);
    const acked: string[] = [];
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    await encryptMany(kms, KeyMetadata!.KeyId!, 5, acked);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    kms.destroy();
    const stored = await storedRequestIds(dataDir);
    expect(acked.filter((id) => !stored.has(id))).toEqual([]);
  });
});
