// The quota of KMS keys per account (`--keys-per-account`, AWS's default 100,000): CreateKey past it is
// a LimitExceededException, also when several worker processes create keys at the same moment.
import { rmSync } from 'node:fs';
import {
  CreateKeyCommand,
  KMSClient,
  ListKeysCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { afterEach, describe, expect, it } from 'vitest';
import { startTrentProcess, tempDir, type RunningTrent } from './process.js';
import { spreadingClient } from './spreading-client.js';

const running: { trent: RunningTrent; dir: string }[] = [];

afterEach(async () => {
  for (const { trent, dir } of running.splice(0)) {
    await trent.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

async function start(args: readonly string[]): Promise<RunningTrent> {
  const dir = tempDir('trent-quota-');
  const trent = await startTrentProcess(['--data-dir', dir, ...args]);
  running.push({ trent, dir });
  return trent;
}

/** Sends `count` CreateKey calls at once; the outcome of each: 'ok' or the error's name and message. */
async function createAtOnce(kms: KMSClient, count: number): Promise<string[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      try {
        await kms.send(new CreateKeyCommand({}));
        return 'ok';
      } catch (err) {
        return `${(err as Error).name}: ${(err as Error).message}`;
      }
    }),
  );
}

async function keyCount(kms: KMSClient): Promise<number> {
  const out = await kms.send(new ListKeysCommand({ Limit: 1000 }));
  return out.Keys?.length ?? 0;
}

const REFUSED = 'LimitExceededException: An account can have at most 5 KMS keys.';

describe('the KMS key quota', () => {
  it('refuses CreateKey past the quota in one process, counting keys pending deletion', async () => {
    const trent = await start(['--workers', '1', '--keys-per-account', '5']);
    const outcomes = await createAtOnce(trent.kms, 12);
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(5);
    expect(outcomes.filter((o) => o !== 'ok')).toEqual(Array(7).fill(REFUSED));
    const listed = await trent.kms.send(new ListKeysCommand({}));
    expect(listed.Keys).toHaveLength(5);
    // A key waiting for deletion still counts, as in AWS KMS.
    await trent.kms.send(
      new ScheduleKeyDeletionCommand({
        KeyId: listed.Keys?.[0]?.KeyId ?? '',
        PendingWindowInDays: 7,
      }),
    );
    expect(await createAtOnce(trent.kms, 1)).toEqual([REFUSED]);
  }, 60_000);

  it('creates every key of a burst in one process while the audit thread commits beside it', async () => {
    // The key store's transaction reads (whether the key exists) before it writes, on the serving
    // thread's connection, while the audit thread commits on its own: each must wait for the
    // other's write lock, never fail for it.
    const trent = await start(['--workers', '1']);
    const outcomes: string[] = [];
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        for (let i = 0; i < 25; i++) outcomes.push(...(await createAtOnce(trent.kms, 1)));
      }),
    );
    expect(outcomes.filter((o) => o !== 'ok')).toEqual([]);
    expect(outcomes).toHaveLength(800);
  }, 60_000);

  it('holds exactly across worker processes creating keys at the same moment', async () => {
    const trent = await start(['--workers', '2', '--keys-per-account', '5']);
    const { kms, answeredBy } = spreadingClient(trent);
    // Several rounds: each worker's own count lags the other's creations, so only the check where
    // their writes meet keeps the total at the quota.
    const outcomes: string[] = [];
    for (let round = 0; round < 3; round++) outcomes.push(...(await createAtOnce(kms, 24)));
    expect(new Set(answeredBy)).toEqual(new Set(['1', '2']));
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(5);
    expect(outcomes.filter((o) => o !== 'ok')).toEqual(Array(67).fill(REFUSED));
    expect(await keyCount(trent.kms)).toBe(5);
  }, 60_000);
});
