import { describe, expect, it } from 'vitest';
import type { WorkerStart } from './results.js';
import { checkTargets, type TargetPhases } from './targets.js';
import { connections, largeStore, scenario, unavailable } from './test-fixtures.js';

const MIB = 1024 * 1024;

/** Targets judged at 2 workers ("few", "many"), with 1 worker ("one") beside them. */
const PHASES: TargetPhases = {
  workers: 2,
  small: 'few',
  large: 'many',
  compare: { workers: 1, small: 'one' },
};

type Run = Parameters<typeof checkTargets>[0];

function checks(run: Run, phases: TargetPhases = PHASES) {
  return Object.fromEntries(checkTargets(run, phases).map((t) => [t.target, t]));
}

function verdicts(run: Run, phases: TargetPhases = PHASES) {
  return Object.fromEntries(checkTargets(run, phases).map((t) => [t.target, t.pass]));
}

const memory = { idleRssBytes: 80 * MIB, largeStoreIdleRssBytes: 300 * MIB };

function start(workers: number, processes: number, idleMiB: number): WorkerStart {
  return {
    workers,
    processes,
    idleRssBytes: idleMiB * MIB,
    workersAnswering: [],
    probeConnections: 4,
    keys: 0,
  };
}

describe('checkTargets', () => {
  it('passes a hot path at 0.6× the baseline with p99 of 5 ms, and misses just below', () => {
    const v = verdicts({
      memory,
      largeStore,
      scenarios: [
        scenario('encrypt', 'few', [connections(32, 600, 1000, 5)], 2),
        scenario('decrypt', 'few', [connections(32, 599, 1000, 5.01)], 2),
      ],
    });
    expect(v['encrypt @32 vs baseline, 2 workers']).toBe(true);
    expect(v['encrypt @32 p99, 2 workers']).toBe(true);
    expect(v['decrypt @32 vs baseline, 2 workers']).toBe(false);
    expect(v['decrypt @32 p99, 2 workers']).toBe(false);
  });

  it('judges the hot path at the largest worker count and shows 1 worker beside it', () => {
    const c = checks({
      memory,
      largeStore,
      scenarios: [
        scenario('encrypt', 'one', [connections(32, 450, 1000, 9)], 1),
        scenario('encrypt', 'few', [connections(32, 850, 1000, 4)], 2),
        scenario('decrypt', 'one', [connections(32, 700, 1000, 3)], 1),
        scenario('decrypt', 'few', [connections(32, 500, 1000, 6)], 2),
      ],
    });
    expect(c['encrypt @32 vs baseline, 2 workers']).toMatchObject({
      measured: '0.85× (1 worker: 0.45×)',
      pass: true,
    });
    expect(c['encrypt @32 p99, 2 workers']).toMatchObject({
      measured: '4.0 ms (1 worker: 9.0 ms)',
      pass: true,
    });
    expect(c['decrypt @32 vs baseline, 2 workers']).toMatchObject({
      measured: '0.50× (1 worker: 0.70×)',
      pass: false,
    });
    expect(c['generate-data-key @32 vs baseline, 2 workers']).toMatchObject({
      measured: 'not measured',
      pass: undefined,
    });
  });

  it('says n/a for a target whose scenario did not run', () => {
    const v = verdicts({
      memory,
      largeStore,
      scenarios: [unavailable('generate-data-key', 'few', 'no')],
    });
    expect(v['generate-data-key @32 vs baseline, 2 workers']).toBeUndefined();
    expect(v['CreateKey @32, 2 workers']).toBeUndefined();
    expect(v['Trent errors at 2 workers']).toBeUndefined();
  });

  it('compares the large store with the small one at 90% of its ratio to the baseline', () => {
    const c = checks({
      memory,
      largeStore,
      scenarios: [
        scenario('encrypt', 'few', [connections(32, 1000, 2000)]),
        scenario('encrypt', 'many', [connections(32, 900, 2000)]),
        scenario('describe-key', 'few', [connections(32, 1000, 2000)]),
        scenario('describe-key', 'many', [connections(32, 899, 2000)]),
        // The baseline beside the large store ran slower: Trent's share of it held.
        scenario('decrypt', 'few', [connections(32, 1000, 2000)]),
        scenario('decrypt', 'many', [connections(32, 800, 1600)]),
        // The baseline ran faster: a plain req/s share of 0.95× is a fall against it.
        scenario('generate-data-key', 'few', [connections(32, 1000, 2000)]),
        scenario('generate-data-key', 'many', [connections(32, 950, 2400)]),
      ],
    });
    expect(c['encrypt @32, 100000 keys vs few keys, 2 workers']).toMatchObject({
      measured: '0.90× (req/s: 0.90×)',
      pass: true,
    });
    expect(c['describe-key @32, 100000 keys vs few keys, 2 workers']?.pass).toBe(false);
    expect(c['decrypt @32, 100000 keys vs few keys, 2 workers']).toMatchObject({
      measured: '1.00× (req/s: 0.80×)',
      pass: true,
    });
    expect(c['generate-data-key @32, 100000 keys vs few keys, 2 workers']).toMatchObject({
      measured: '0.79× (req/s: 0.95×)',
      pass: false,
    });
  });

  it('checks CreateKey at 500 keys/s and idle RSS at 150 MiB', () => {
    const pass = checks({
      memory: { ...memory, idleRssBytes: 150 * MIB },
      largeStore,
      scenarios: [
        scenario('create-key', 'few', [connections(32, 500, 9000)]),
        scenario('create-key', 'one', [connections(32, 300, 9000)]),
      ],
    });
    expect(pass['CreateKey @32, 2 workers']).toMatchObject({
      measured: '500.0 keys/s (1 worker: 300.0 keys/s)',
      pass: true,
    });
    expect(pass['idle RSS']?.pass).toBe(true);
    const miss = verdicts({
      memory: { ...memory, idleRssBytes: 151 * MIB },
      largeStore,
      scenarios: [scenario('create-key', 'few', [connections(32, 499, 9000)])],
    });
    expect(miss['CreateKey @32, 2 workers']).toBe(false);
    expect(miss['idle RSS']).toBe(false);
  });

  it('judges idle RSS at the first worker count and shows the largest beside it', () => {
    const c = checks({
      memory,
      largeStore,
      workerStarts: [start(1, 1, 80), start(2, 3, 200)],
      scenarios: [],
    });
    expect(c['idle RSS, 1 worker']).toMatchObject({
      measured: '80.0 MiB (2 workers, 3 processes: 200.0 MiB)',
      pass: true,
    });
  });

  it('judges the largest worker count by PSS summed over its processes, when measured', () => {
    const at = (pssMiB: number | undefined) =>
      checks({
        memory,
        largeStore,
        workerStarts: [
          start(1, 1, 80),
          {
            ...start(2, 3, 270),
            ...(pssMiB === undefined ? {} : { idlePssBytes: pssMiB * MIB }),
          },
        ],
        scenarios: [],
      })['idle memory, 2 workers (PSS summed over 3 processes)'];
    expect(at(150)).toMatchObject({ measured: '150.0 MiB', pass: true });
    expect(at(151)?.pass).toBe(false);
    expect(at(undefined)).toMatchObject({ measured: 'not measured', pass: undefined });
    // One worker count only: nothing beyond the idle RSS row.
    const single = checkTargets(
      { memory, largeStore, workerStarts: [start(1, 1, 80)], scenarios: [] },
      PHASES,
    );
    expect(single.some((t) => t.target.startsWith('idle memory'))).toBe(false);
  });

  it('judges a run of several processes only (no single-process start) by PSS, not summed RSS', () => {
    const c = checks({
      memory: { ...memory, idleRssBytes: 240 * MIB },
      largeStore,
      workerStarts: [{ ...start(2, 3, 240), idlePssBytes: 134 * MIB }],
      scenarios: [],
    });
    expect(c['idle RSS, 2 workers (summed over 3 processes)']).toMatchObject({
      measured: '240.0 MiB',
      pass: undefined,
    });
    expect(c['idle memory, 2 workers (PSS summed over 3 processes)']).toMatchObject({
      measured: '134.0 MiB',
      pass: true,
    });
  });

  it('misses durability when a restart finds fewer keys than were acknowledged', () => {
    const lost = { ...largeStore, restart: { ...largeStore.restart, keysAfterRestart: 99_999 } };
    const label = 'acknowledged keys present after SIGKILL and restart';
    expect(verdicts({ memory, largeStore: lost, scenarios: [] })[label]).toBe(false);
    expect(verdicts({ memory, largeStore, scenarios: [] })[label]).toBe(true);
    const atTwo = { ...largeStore, restart: { ...largeStore.restart, workers: 2 } };
    expect(verdicts({ memory, largeStore: atTwo, scenarios: [] })[`${label}, 2 workers`]).toBe(
      true,
    );
  });

  it('misses the error target when any run had an error', () => {
    const v = verdicts({
      memory,
      largeStore,
      scenarios: [scenario('encrypt', 'few', [connections(1, 10, 20, 1, 3)])],
    });
    expect(v['errors in every run']).toBe(false);
  });

  it('checks the runs at the largest worker count for errors on their own', () => {
    const atOne = verdicts({
      memory,
      largeStore,
      scenarios: [
        scenario('encrypt', 'one', [connections(32, 10, 20, 1, 3)], 1),
        scenario('encrypt', 'few', [connections(32, 10, 20)], 2),
      ],
    });
    expect(atOne['errors in every run']).toBe(false);
    expect(atOne['Trent errors at 2 workers']).toBe(true);
    const atTwo = verdicts({
      memory,
      largeStore,
      scenarios: [
        scenario('encrypt', 'one', [connections(32, 10, 20)], 1),
        scenario('encrypt', 'many', [connections(32, 10, 20, 1, 1)], 2),
      ],
    });
    expect(atTwo['Trent errors at 2 workers']).toBe(false);
  });

  it('shows nothing beside the targets when one worker count ran', () => {
    const c = checks(
      {
        memory,
        largeStore,
        scenarios: [scenario('encrypt', 'few', [connections(32, 700, 1000, 3)], 1)],
      },
      { workers: 1, small: 'few', large: 'many' },
    );
    expect(c['encrypt @32 vs baseline, 1 worker']).toMatchObject({ measured: '0.70×', pass: true });
  });
});
