import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../test/fakes/fake-clock.js';
import { generateRootKey } from '../root/root-key.js';
import { openSqliteDatabase } from '../store/sqlite/database.js';
import { sqliteStore } from '../store/sqlite/sqlite-store.js';
import type { KeyRow, Store } from '../store/store.js';
import { DAY_MS } from './clock.js';
import { Keyring } from './keyring.js';
import { rotateKeyMaterial } from './rotation.js';
import { Scheduler } from './scheduler.js';
import { keyRow } from '../../test/fakes/key-row.js';

let store: Store;
let keyring: Keyring;
let clock: FakeClock;
let scheduler: Scheduler;

beforeEach(async () => {
  store = sqliteStore(openSqliteDatabase(':memory:'));
  keyring = await Keyring.open(store, generateRootKey(), 'aws');
  clock = new FakeClock();
  scheduler = new Scheduler({ keyring, clock });
});
afterEach(async () => {
  await scheduler.stop();
  await store.close();
});

async function addKey(patch: Partial<KeyRow> = {}): Promise<string> {
  const keyId = randomUUID();
  const material = keyring.newMaterial(keyId, clock.now(), null, Buffer.alloc(32, 7));
  await keyring.createKey(
    keyRow(keyId, { createdAt: clock.now(), currentVersion: material.version, ...patch }),
    material,
    [],
  );
  return keyId;
}

describe('Scheduler', () => {
  it('rotates only enabled keys whose rotation is due and moves the next date one period on', async () => {
    const due = await addKey({
      rotationEnabled: true,
      rotationPeriodInDays: 90,
      nextRotationAt: clock.now(),
    });
    const later = await addKey({
      rotationEnabled: true,
      rotationPeriodInDays: 90,
      nextRotationAt: clock.now() + 1,
    });
    const disabled = await addKey({
      state: 'Disabled',
      rotationEnabled: true,
      rotationPeriodInDays: 90,
      nextRotationAt: clock.now(),
    });
    const run = await scheduler.runDue();
    expect(run.rotated).toEqual([due]);
    const key = keyring.get(due)!;
    expect(key.materials).toHaveLength(2);
    expect(key.row.currentVersion).toBe(key.materials[1]!.version);
    expect(key.materials[1]!.rotationType).toBe('AUTOMATIC');
    expect(key.row.nextRotationAt).toBe(clock.now() + 90 * DAY_MS);
    expect(keyring.get(later)!.materials).toHaveLength(1);
    expect(keyring.get(disabled)!.materials).toHaveLength(1);
  });

  it('destroys keys whose deletion date has passed, durably', async () => {
    const due = await addKey({ state: 'PendingDeletion', deletionDate: clock.now() });
    const notYet = await addKey({ state: 'PendingDeletion', deletionDate: clock.now() + 1 });
    const run = await scheduler.runDue();
    expect(run.deleted).toEqual([due]);
    expect(keyring.get(due)).toBeUndefined();
    expect(keyring.get(notYet)).toBeDefined();
    await keyring.reload();
    expect(keyring.get(due)).toBeUndefined();
    expect(keyring.get(notYet)).toBeDefined();
  });

  it('runs successive calls one after another, each at its own time', async () => {
    const keyId = await addKey({ state: 'PendingDeletion', deletionDate: clock.now() + DAY_MS });
    const first = scheduler.runDue();
    clock.advance(DAY_MS);
    const second = scheduler.runDue();
    expect((await first).deleted).toEqual([]);
    expect((await second).deleted).toEqual([keyId]);
  });
});

describe('Scheduler failures', () => {
  it('reports a key whose change cannot be written, goes on with the others, and retries it next run', async () => {
    const failing = new Set<string>();
    const inner = sqliteStore(openSqliteDatabase(':memory:'));
    const flaky: Store = {
      ...inner,
      apply(writes) {
        for (const w of writes) {
          if (w.kind === 'deleteKey' && failing.has(w.keyId)) {
            return Promise.reject(new Error('disk full'));
          }
        }
        return inner.apply(writes);
      },
    };
    const errors: unknown[] = [];
    await store.close();
    store = flaky;
    keyring = await Keyring.open(flaky, generateRootKey(), 'aws');
    scheduler = new Scheduler({ keyring, clock, onError: (err) => errors.push(err) });
    const stuck = await addKey({ state: 'PendingDeletion', deletionDate: clock.now() });
    const fine = await addKey({ state: 'PendingDeletion', deletionDate: clock.now() });
    failing.add(stuck);

    const first = await scheduler.runDue();
    expect(first.deleted).toEqual([fine]);
    expect(errors).toHaveLength(1);
    expect(keyring.get(stuck)?.row.state).toBe('PendingDeletion');

    failing.clear();
    expect((await scheduler.runDue()).deleted).toEqual([stuck]);
  });
});

describe('rotateKeyMaterial', () => {
  it('keeps material versions in creation order within one millisecond', async () => {
    const keyId = await addKey();
    for (let i = 0; i < 3; i++) {
      await keyring.exclusive(() =>
        rotateKeyMaterial(keyring, keyring.get(keyId)!, 'ON_DEMAND', clock.now()),
      );
    }
    const before = keyring.get(keyId)!.materials.map((m) => m.version);
    await keyring.reload();
    const key = keyring.get(keyId)!;
    expect(key.materials.map((m) => m.version)).toEqual(before);
    expect(key.row.currentVersion).toBe(before[3]);
  });
});
