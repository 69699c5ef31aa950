import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateKeyCommand, DescribeKeyCommand, EncryptCommand } from '@aws-sdk/client-kms';
import { pino } from 'pino';
import { startTrent } from '../../src/main.js';
import type { AuditEvent } from '../../src/audit/audit-event.js';
import { openSqliteDatabase } from '../../src/store/sqlite/database.js';
import { kmsClient, testConfig } from './harness.js';

const run = promisify(execFile);
let dataDir: string;
let keyId: string;
let otherKeyId: string;

async function trentAudit(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [
      'bin/trent.js',
      'audit',
      ...args,
      '--data-dir',
      dataDir,
    ]);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function jsonLines(text: string): AuditEvent[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as AuditEvent);
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'trent-audit-cli-'));
  const trent = await startTrent(testConfig({ dev: false, dataDir }), {
    logger: pino({ level: 'silent' }),
  });
  const kms = kmsClient(trent.url);
  keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
  otherKeyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
  await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('a') }));
  await kms.send(new EncryptCommand({ KeyId: otherKeyId, Plaintext: Buffer.from('b') }));
  await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
  await expect(kms.send(new DescribeKeyCommand({ KeyId: 'alias/missing' }))).rejects.toThrow();
  kms.destroy();
  await trent.close();
});
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('trent audit', { timeout: 120_000 }, () => {
  it('verify reports an intact chain', async () => {
    const r = await trentAudit('verify');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/audit chain intact: 6 records/);
  });

  it('query filters by key, operation and outcome, as JSON lines', async () => {
    const byKey = jsonLines((await trentAudit('query', '--key', keyId, '--format', 'json')).stdout);
    expect(byKey.map((e) => e.eventName)).toEqual(['CreateKey', 'Encrypt', 'DescribeKey']);
    const encrypts = jsonLines(
      (await trentAudit('query', '--operation', 'Encrypt', '--format', 'json')).stdout,
    );
    expect(encrypts).toHaveLength(2);
    const failures = jsonLines(
      (await trentAudit('query', '--outcome', 'failure', '--format', 'json')).stdout,
    );
    expect(failures.map((e) => e.errorCode)).toEqual(['NotFoundException']);
    const byPrincipal = jsonLines(
      (
        await trentAudit(
          'query',
          '--principal',
          'arn:aws:iam::111122223333:root',
          '--format',
          'json',
        )
      ).stdout,
    );
    expect(byPrincipal).toHaveLength(6);
  });

  it('query filters by time range', async () => {
    const all = jsonLines((await trentAudit('query', '--format', 'json')).stdout);
    const third = all[2]!.eventTime;
    const later = jsonLines(
      (await trentAudit('query', '--since', third, '--format', 'json')).stdout,
    );
    expect(later.every((e) => e.eventTime >= third)).toBe(true);
    const none = jsonLines(
      (await trentAudit('query', '--until', '2000-01-01T00:00:00Z', '--format', 'json')).stdout,
    );
    expect(none).toEqual([]);
    const lastDay = jsonLines(
      (await trentAudit('query', '--since', '1d', '--format', 'json')).stdout,
    );
    expect(lastDay).toHaveLength(all.length);
  });

  it('query prints a table by default', async () => {
    const r = await trentAudit('query', '--operation', 'DescribeKey');
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^SEQ\s+TIME\s+OPERATION\s+OUTCOME/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[3])).toEqual(['ok', 'NotFoundException']);
  });

  it('export writes every record as JSON lines to a file', async () => {
    const file = join(dataDir, 'export.jsonl');
    expect((await trentAudit('export', '--output', file)).code).toBe(0);
    const events = jsonLines(readFileSync(file, 'utf8'));
    expect(events).toHaveLength(6);
    expect(events[0]!.eventSource).toBe('kms.amazonaws.com');
  });

  it('rejects an unknown outcome', async () => {
    expect((await trentAudit('query', '--outcome', 'maybe')).code).toBe(2);
  });

  it('verify names the first broken record and exits 1', async () => {
    const db = openSqliteDatabase(join(dataDir, 'trent.db'));
    const original = db
      .prepare<[], { event: string }>('SELECT event FROM audit_records WHERE seq = 4')
      .get()!.event;
    db.prepare('UPDATE audit_records SET event = ? WHERE seq = 4').run(
      original.replace('Encrypt', 'Decrypt'),
    );
    try {
      const r = await trentAudit('verify');
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/BROKEN at record 4 /);
    } finally {
      db.prepare('UPDATE audit_records SET event = ? WHERE seq = 4').run(original);
      db.close();
    }
  });

  it('prune keeps the chain verifiable from its checkpoint', async () => {
    const db = openSqliteDatabase(join(dataDir, 'trent.db'));
    db.prepare('UPDATE audit_records SET event_time = 0 WHERE seq <= 2').run();
    db.close();
    // The first two records are now older than any retention period; pruning removes exactly them.
    const pruned = await trentAudit('prune', '--retention-days', '1');
    expect(pruned.stdout).toMatch(/pruned 2 records; checkpoint at record 2/);
    const r = await trentAudit('verify');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/4 records, records 3\.\.6 \(from checkpoint at record 2\)/);
  });
});
