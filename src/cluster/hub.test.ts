import { describe, expect, it } from 'vitest';
import { NO_CHANGES, type ChangeSet } from './coordinator.js';
import { ClusterHub, type Peer } from './hub.js';
import type { PrimaryMessage, WorkerMessage } from './messages.js';
import { ProcessCoordinator } from './process-coordinator.js';

/** Workers wired to a hub in memory, delivering each message on a later turn as IPC does. */
function cluster(count: number) {
  const hub = new ClusterHub();
  const applied: { worker: number; changes: ChangeSet }[] = [];
  const workers = Array.from({ length: count }, (_, i) => {
    const id = i + 1;
    let deliver: (m: PrimaryMessage) => void = () => undefined;
    const peer: Peer = {
      id,
      send(message) {
        setImmediate(() => {
          deliver(message);
        });
      },
    };
    hub.attach(peer);
    const coordinator = new ProcessCoordinator(
      {
        send(message: WorkerMessage) {
          setImmediate(() => {
            hub.receive(peer, message);
          });
        },
        onMessage(listener) {
          deliver = listener;
        },
      },
      (err) => {
        throw err;
      },
    );
    void coordinator.join();
    void coordinator.setApplier((changes) => {
      applied.push({ worker: id, changes });
      return Promise.resolve();
    });
    return coordinator;
  });
  return { hub, workers, applied };
}

const change = (keys: string[]): ChangeSet => ({ keys, grantKeys: [], everything: false });

describe('cluster hub and process coordinators', () => {
  it('runs one change at a time across workers and has every other worker apply it before its author goes on', async () => {
    const { workers, applied } = cluster(3);
    const [w1, w2] = workers;
    if (!w1 || !w2) throw new Error('workers');
    const order: string[] = [];
    let inside = 0;
    const step = (name: string, keys: string[]) => () => {
      inside += 1;
      expect(inside).toBe(1);
      order.push(`${name} start`);
      return new Promise<string>((resolve) => {
        setTimeout(() => {
          order.push(`${name} end`);
          inside -= 1;
          resolve(name);
        }, 5);
      }).then((r) => ({ r, keys }));
    };
    let lastKeys: string[] = [];
    const run = (w: ProcessCoordinator, name: string, keys: string[]) =>
      w
        .exclusive('keys', step(name, keys), () => change(keys))
        .then(({ r }) => {
          // When the author resumes, the others have applied its change.
          const seen = applied.filter((a) => a.changes.keys.join() === keys.join());
          expect(seen.length).toBe(2);
          lastKeys = keys;
          return r;
        });
    const results = await Promise.all([
      run(w1, 'a', ['k1']),
      run(w2, 'b', ['k2']),
      run(w1, 'c', ['k3']),
    ]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(order.length).toBe(6);
    for (let i = 0; i < 6; i += 2) expect(order[i + 1]).toBe(order[i]?.replace('start', 'end'));
    expect(applied.map((a) => a.worker).sort()).toEqual([1, 2, 2, 3, 3, 3].sort());
    expect(lastKeys.length).toBe(1);
  });

  it('does not broadcast an empty change, and scopes lock independently', async () => {
    const { workers, applied } = cluster(2);
    const [w1, w2] = workers;
    if (!w1 || !w2) throw new Error('workers');
    let releaseKeys: () => void = () => undefined;
    const keysHeld = w1.exclusive(
      'keys',
      () =>
        new Promise<void>((resolve) => {
          releaseKeys = resolve;
        }),
      () => NO_CHANGES,
    );
    // The grants lock is free while the keys lock is held.
    await w2.exclusive(
      'grants',
      () => Promise.resolve(),
      () => NO_CHANGES,
    );
    releaseKeys();
    await keysHeld;
    expect(applied).toEqual([]);
  });

  it('releases a dead worker’s lock and stops waiting for it', async () => {
    const { hub, workers, applied } = cluster(3);
    const [w1, w2] = workers;
    if (!w1 || !w2) throw new Error('workers');
    // Worker 2 dies holding the lock: the hub is told it exited.
    let blocked: () => void = () => undefined;
    let entered: () => void = () => undefined;
    const inside = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const held = w2.exclusive(
      'keys',
      () =>
        new Promise<void>((resolve) => {
          blocked = resolve;
          entered();
        }),
      () => change(['k9']),
    );
    await inside;
    const next = w1.exclusive(
      'keys',
      () => Promise.resolve('after'),
      () => NO_CHANGES,
    );
    hub.detach(2);
    // w2's lock is gone, so w1 runs even though w2's change never finished.
    await expect(next).resolves.toBe('after');
    blocked();
    void held;
    expect(applied).toEqual([]);
  });

  it('neither sends changes to nor waits for a worker that has not said hello yet', async () => {
    const { hub, workers, applied } = cluster(1);
    const [w1] = workers;
    if (!w1) throw new Error('workers');
    const sent: PrimaryMessage[] = [];
    // A process that has just been forked and is still loading its modules.
    const newcomer: Peer = { id: 9, send: (m) => sent.push(m) };
    hub.attach(newcomer);
    await w1.exclusive(
      'keys',
      () => Promise.resolve(),
      () => change(['k1']),
    );
    expect(sent).toEqual([]);
    // Once it says hello it is welcomed, and the next change waits for it.
    hub.receive(newcomer, { trent: 'hello' });
    expect(sent).toEqual([{ trent: 'welcome' }]);
    let done = false;
    const next = w1
      .exclusive(
        'keys',
        () => Promise.resolve(),
        () => change(['k2']),
      )
      .then(() => (done = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(sent.at(-1)).toMatchObject({ trent: 'changes', changes: { keys: ['k2'] } });
    expect(done).toBe(false);
    const broadcast = sent.at(-1) as { id: number };
    hub.receive(newcomer, { trent: 'applied', id: broadcast.id });
    await next;
    expect(applied).toEqual([]);
  });

  it('has the next lock holder apply the changes before it runs, without waiting for slower workers', async () => {
    const { hub, workers, applied } = cluster(2);
    const [w1, w2] = workers;
    if (!w1 || !w2) throw new Error('workers');
    // A third worker that is slow to confirm: the author's answer waits for it, the next change does not.
    const slow: PrimaryMessage[] = [];
    const laggard: Peer = { id: 7, send: (m) => slow.push(m) };
    hub.attach(laggard);
    hub.receive(laggard, { trent: 'hello' });
    let authorDone = false;
    const first = w1
      .exclusive(
        'keys',
        () => Promise.resolve(),
        () => change(['k1']),
      )
      .then(() => (authorDone = true));
    const seenBySecond = await w2.exclusive(
      'keys',
      () => Promise.resolve(applied.filter((a) => a.worker === 2).map((a) => a.changes.keys)),
      () => NO_CHANGES,
    );
    expect(seenBySecond).toEqual([['k1']]);
    expect(authorDone).toBe(false);
    const broadcast = slow.find((m) => m.trent === 'changes') as { id: number };
    hub.receive(laggard, { trent: 'applied', id: broadcast.id });
    await first;
    expect(authorDone).toBe(true);
  });

  it('publishes a change made without the shared lock while another worker holds it', async () => {
    const { workers, applied } = cluster(2);
    const [w1, w2] = workers;
    if (!w1 || !w2) throw new Error('workers');
    let release: () => void = () => undefined;
    const held = w2.exclusive(
      'keys',
      () =>
        new Promise<void>((resolve) => {
          release = resolve;
        }),
      () => NO_CHANGES,
    );
    await new Promise((r) => setTimeout(r, 10));
    // w1 creates a key while w2 holds the lock; w2 has loaded it by the time w1's call settles.
    const created = await w1.publish(
      'keys',
      () => Promise.resolve('new'),
      () => change(['kNew']),
    );
    expect(created).toBe('new');
    expect(applied).toEqual([{ worker: 2, changes: change(['kNew']) }]);
    release();
    await held;
  });
});
