import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChangeSet, Coordinator } from '../cluster/coordinator.js';
import { generateRootKey } from '../root/root-key.js';
import { openSqliteDatabase } from '../store/sqlite/database.js';
import { sqliteStore } from '../store/sqlite/sqlite-store.js';
import type { KeyRow, Store } from '../store/store.js';
import { Keyring } from './keyring.js';
import { keyRow } from '../../test/fakes/key-row.js';

const ACCOUNT = '111122223333';
const A = 'a0000000-0000-4000-8000-000000000000';
const B = 'b0000000-0000-4000-8000-000000000000';

const row = (keyId: string): KeyRow => keyRow(keyId);

/** Runs changes at once and keeps what each one reported. */
class RecordingCoordinator implements Coordinator {
  readonly shared = true;
  readonly published: ChangeSet[] = [];
  async exclusive<T>(_scope: string, fn: () => Promise<T>, changes: () => ChangeSet): Promise<T> {
    const result = await fn();
    this.published.push(changes());
    return result;
  }

  publish<T>(scope: string, fn: () => Promise<T>, changes: () => ChangeSet): Promise<T> {
    return this.exclusive(scope, fn, changes);
  }
}

let dir: string;
const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Two keyrings over one database file through two connections, as two processes have. */
async function twoProcesses() {
  dir = mkdtempSync(join(tmpdir(), 'trent-refresh-'));
  const root = generateRootKey();
  const coordinator = new RecordingCoordinator();
  const storeA = sqliteStore(openSqliteDatabase(join(dir, 'trent.db')));
  const storeB = sqliteStore(openSqliteDatabase(join(dir, 'trent.db')));
  stores.push(storeA, storeB);
  const writer = await Keyring.open(storeA, root, 'aws', coordinator);
  const reader = await Keyring.open(storeB, root, 'aws');
  return { writer, reader, coordinator };
}

describe('keyring refresh after a change in another process', () => {
  it('names the touched keys and the reader sees creation, updates, tags, aliases and destruction', async () => {
    const { writer, reader, coordinator } = await twoProcesses();
    await writer.creating(A, () => writer.createKey(row(A), undefined, []));
    await writer.creating(B, () => writer.createKey(row(B), undefined, []));
    expect(coordinator.published.map((c) => c.keys)).toEqual([[A], [B]]);
    expect(reader.get(A)).toBeUndefined();
    await reader.refresh([A, B]);
    expect(reader.countKeys(ACCOUNT, 'us-east-1')).toBe(2);
    // Listed now, so that every change below is merged into orders already built.
    expect(reader.keysOf(ACCOUNT, 'us-east-1').map((k) => k.row.keyId)).toEqual([A, B]);
    expect(reader.aliasesOf(ACCOUNT, 'us-east-1')).toEqual([]);

    await writer.exclusive(() => writer.updateKey(A, { state: 'Disabled' }));
    await writer.exclusive(() => writer.putTags(A, [{ tagKey: 'team', tagValue: 'red' }]));
    await writer.exclusive(() =>
      writer.putAlias({
        accountId: ACCOUNT,
        region: 'us-east-1',
        aliasName: 'alias/app',
        targetKeyId: A,
        createdAt: 1,
        updatedAt: 1,
      }),
    );
    expect(reader.get(A)?.row.state).toBe('Enabled');
    await reader.refresh([A]);
    expect(reader.get(A)?.row.state).toBe('Disabled');
    expect(reader.get(A)?.tags).toEqual([{ tagKey: 'team', tagValue: 'red' }]);
    expect(reader.alias(ACCOUNT, 'us-east-1', 'alias/app')?.targetKeyId).toBe(A);
    expect(reader.aliasesOf(ACCOUNT, 'us-east-1').map((a) => a.targetKeyId)).toEqual([A]);
    expect(reader.keysOf(ACCOUNT, 'us-east-1').map((k) => k.row.state)).toEqual([
      'Disabled',
      'Enabled',
    ]);

    // Retargeting names both keys; the reader moves the alias.
    await writer.exclusive(() =>
      writer.putAlias({
        accountId: ACCOUNT,
        region: 'us-east-1',
        aliasName: 'alias/app',
        targetKeyId: B,
        createdAt: 1,
        updatedAt: 2,
      }),
    );
    expect(coordinator.published.at(-1)?.keys).toEqual([A, B]);
    await reader.refresh([A, B]);
    expect(reader.alias(ACCOUNT, 'us-east-1', 'alias/app')?.targetKeyId).toBe(B);
    expect([...(reader.get(A)?.aliases ?? [])]).toEqual([]);
    expect([...(reader.get(B)?.aliases ?? [])]).toEqual(['alias/app']);
    expect(reader.aliasesOf(ACCOUNT, 'us-east-1').map((a) => a.targetKeyId)).toEqual([B]);
    const keyB = reader.get(B);
    if (!keyB) throw new Error('key B is cached');
    expect(reader.aliasesOfKey(ACCOUNT, 'us-east-1', keyB).map((a) => a.aliasName)).toEqual([
      'alias/app',
    ]);
    expect(reader.aliasesOfKey('444455556666', 'us-east-1', keyB)).toEqual([]);

    await writer.exclusive(() => writer.deleteAlias(ACCOUNT, 'us-east-1', 'alias/app'));
    await writer.exclusive(() => writer.destroyKey(A));
    await reader.refresh([A, B]);
    expect(reader.alias(ACCOUNT, 'us-east-1', 'alias/app')).toBeUndefined();
    expect(reader.get(A)).toBeUndefined();
    expect(reader.keysOf(ACCOUNT, 'us-east-1').map((k) => k.row.keyId)).toEqual([B]);
    expect(reader.aliasesOf(ACCOUNT, 'us-east-1')).toEqual([]);
  });

  it('keeps usage noted here that is newer than what the store holds', async () => {
    const { writer, reader } = await twoProcesses();
    await writer.exclusive(() => writer.createKey(row(A), undefined, []));
    await reader.refresh([A]);
    reader.noteUsage({ keyId: A, operation: 'Encrypt', at: 5, requestId: 'r5' });
    await writer.exclusive(() => writer.updateKey(A, { description: 'x' }));
    await reader.refresh([A]);
    expect(reader.lastUsage(A)?.requestId).toBe('r5');
    expect(reader.get(A)?.row.description).toBe('x');
  });

  it('reports a wipe as a change of everything', async () => {
    const { writer, coordinator } = await twoProcesses();
    await writer.exclusive(() => writer.wipe());
    expect(coordinator.published.at(-1)?.everything).toBe(true);
  });
});
