// `trent serve --workers 2`: two processes serve one port and one store. A change made through one
// worker is seen by the other before it is acknowledged; the audit trail holds every worker's records
// in one chain; a worker that dies is replaced; SIGTERM stops them all.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import {
  CreateAliasCommand,
  CreateGrantCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EncryptCommand,
  GetKeyLastUsageCommand,
  KMSClient,
  ListKeysCommand,
  ListResourceTagsCommand,
  TagResourceCommand,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTrent, startTrentProcess, tempDir, type RunningTrent } from './process.js';
import { spreadingClient } from './spreading-client.js';

let dir: string;
let trent: RunningTrent;

beforeAll(async () => {
  dir = tempDir('trent-workers-');
  trent = await startTrentProcess(['--data-dir', dir, '--workers', '2']);
}, 60_000);

afterAll(async () => {
  await trent.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The processes whose parent is `pid` (none: an empty list). */
function childrenOf(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map(Number);
  } catch {
    return [];
  }
}

async function encryptFrom(kms: KMSClient, keyId: string): Promise<string> {
  try {
    await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') }));
    return 'ok';
  } catch (err) {
    return (err as Error).name;
  }
}

describe('trent serve --workers 2', { timeout: 120_000 }, () => {
  it('refuses a key disabled through one worker on every worker at once, and serves it again once enabled', async () => {
    const { kms, answeredBy } = spreadingClient(trent);
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const keyId = KeyMetadata?.KeyId ?? '';
    // Both workers use the key (and cache it as enabled).
    for (let i = 0; i < 40 && new Set(answeredBy).size < 2; i++)
      expect(await encryptFrom(kms, keyId)).toBe('ok');
    expect(new Set(answeredBy)).toEqual(new Set(['1', '2']));

    for (let round = 0; round < 3; round++) {
      answeredBy.length = 0;
      await kms.send(new DisableKeyCommand({ KeyId: keyId }));
      const disabler = answeredBy[0];
      const outcomes: string[] = [];
      for (let i = 0; i < 16; i++) outcomes.push(await encryptFrom(kms, keyId));
      expect(outcomes.every((o) => o === 'DisabledException')).toBe(true);
      // The refusals came from both workers, including the one that did not disable the key.
      expect(new Set(answeredBy.slice(1))).toEqual(new Set(['1', '2']));
      expect(disabler).toMatch(/^[12]$/);

      await kms.send(new EnableKeyCommand({ KeyId: keyId }));
      const again: string[] = [];
      for (let i = 0; i < 8; i++) again.push(await encryptFrom(kms, keyId));
      expect(again.every((o) => o === 'ok')).toBe(true);
    }
    kms.destroy();
  });

  it('shows aliases, tags and grants made through one worker on the other', async () => {
    const { kms, answeredBy } = spreadingClient(trent);
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const keyId = KeyMetadata?.KeyId ?? '';
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/shared', TargetKeyId: keyId }));
    await kms.send(
      new TagResourceCommand({ KeyId: keyId, Tags: [{ TagKey: 'team', TagValue: 'a' }] }),
    );
    const { GrantId } = await kms.send(
      new CreateGrantCommand({
        KeyId: keyId,
        GranteePrincipal: 'arn:aws:iam::111122223333:role/app',
        Operations: ['Decrypt'],
      }),
    );
    answeredBy.length = 0;
    for (let i = 0; i < 12; i++) {
      const described = await kms.send(new DescribeKeyCommand({ KeyId: 'alias/shared' }));
      expect(described.KeyMetadata?.KeyId).toBe(keyId);
      const tags = await kms.send(new ListResourceTagsCommand({ KeyId: keyId }));
      expect(tags.Tags).toEqual([{ TagKey: 'team', TagValue: 'a' }]);
    }
    expect(new Set(answeredBy)).toEqual(new Set(['1', '2']));
    expect(GrantId).toMatch(/^[0-9a-f]{64}$/);
    kms.destroy();
  });

  it('shows a key’s last use made through one worker on the other once the worker has written it', async () => {
    const { kms, answeredBy } = spreadingClient(trent);
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const keyId = KeyMetadata?.KeyId ?? '';
    answeredBy.length = 0;
    const used = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') }));
    const user = answeredBy[0];
    // A worker writes a few keys' uses within a second; the other worker reads them from the store.
    const deadline = Date.now() + 15_000;
    let seenByOther: string | undefined;
    while (Date.now() < deadline && seenByOther === undefined) {
      answeredBy.length = 0;
      const out = await kms.send(new GetKeyLastUsageCommand({ KeyId: keyId }));
      if (answeredBy[0] !== user) seenByOther = out.KeyLastUsage?.KmsRequestId;
      if (seenByOther !== used.$metadata.requestId) {
        seenByOther = undefined;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    expect(user).toMatch(/^[12]$/);
    expect(seenByOther).toBe(used.$metadata.requestId);
    kms.destroy();
  });

  it('lists keys created through either worker on both, in id order, page by page', async () => {
    const { kms, answeredBy } = spreadingClient(trent);
    /** Every key id of the account, by pages of 7, from one listing per page; and who answered. */
    const listAll = async (): Promise<{ ids: string[]; by: Set<string> }> => {
      answeredBy.length = 0;
      const ids: string[] = [];
      let marker: string | undefined;
      do {
        const out = await kms.send(new ListKeysCommand({ Limit: 7, Marker: marker }));
        ids.push(...(out.Keys ?? []).map((k) => k.KeyId ?? ''));
        marker = out.NextMarker;
      } while (marker !== undefined);
      return { ids, by: new Set(answeredBy) };
    };
    const created: string[] = [];
    for (let round = 0; round < 3; round++) {
      // Keys made through both workers, then listings through both (each worker keeps its order and
      // merges in what changed since its last listing).
      answeredBy.length = 0;
      for (let i = 0; i < 6; i++) {
        const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
        created.push(KeyMetadata?.KeyId ?? '');
      }
      expect(new Set(answeredBy)).toEqual(new Set(['1', '2']));
      for (let listing = 0; listing < 2; listing++) {
        const { ids, by } = await listAll();
        expect(by.size).toBe(2);
        expect(ids).toEqual([...ids].sort());
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids).toEqual(expect.arrayContaining(created));
      }
    }
    kms.destroy();
  });

  it('keeps one unbroken audit chain holding both workers’ records, and replaces a worker that dies', async () => {
    const { kms, answeredBy } = spreadingClient(trent);
    const workerPids = childrenOf(trent.child.pid ?? 0);
    expect(workerPids.length).toBe(2);
    process.kill(workerPids[0] ?? 0, 'SIGKILL');
    // The survivor serves meanwhile, and the replacement joins.
    const deadline = Date.now() + 30_000;
    let pids: number[] = [];
    while (Date.now() < deadline) {
      pids = childrenOf(trent.child.pid ?? 0);
      if (pids.length === 2 && !pids.includes(workerPids[0] ?? 0)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(pids.length, trent.stderr()).toBe(2);
    expect(pids).not.toContain(workerPids[0]);
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    answeredBy.length = 0;
    const outcomes: string[] = [];
    // Until the replacement listens, the survivor answers everything; nothing fails meanwhile.
    const serving = Date.now() + 30_000;
    while (Date.now() < serving && new Set(answeredBy).size < 2)
      outcomes.push(await encryptFrom(kms, KeyMetadata?.KeyId ?? ''));
    expect(outcomes.every((o) => o === 'ok')).toBe(true);
    expect(new Set(answeredBy)).toEqual(new Set(['1', '2']));
    kms.destroy();

    const finished = await trent.stop();
    expect(finished.code).toBe(0);
    const verified = await runTrent(['audit', 'verify', '--data-dir', dir]);
    expect(verified.code).toBe(0);
    const records = Number(/audit chain intact: (\d+) records/.exec(verified.stdout)?.[1]);
    // Every request of this file left a record, whichever worker served it.
    expect(records).toBeGreaterThan(100);
    // Restart for afterAll's stop.
    trent = await startTrentProcess(['--data-dir', dir, '--workers', '2']);
  });
});
