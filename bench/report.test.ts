import { describe, expect, it } from 'vitest';
import { describeStart, formatReport, formatResultsTable, formatTargets } from './report.js';
import type { BenchRun } from './results.js';
import { connections, largeStore, scenario, unavailable } from './test-fixtures.js';

describe('formatResultsTable', () => {
  it('writes one row per connection count with the ratio to the baseline', () => {
    const table = formatResultsTable({
      scenarios: [
        scenario('encrypt', '10 keys', [
          connections(32, 6000, 10000, 4.5),
          connections(1, 2000, 4000),
        ]),
      ],
    });
    const rows = table.split('\n');
    expect(rows).toHaveLength(4);
    expect(rows[2]).toBe(
      '| encrypt | 10 keys | 32 | 6000 | 10000 | 0.60× | 1.00 | 1.50 | 4.50 | 0 | 95% | 100 |',
    );
    expect(rows[3]).toContain('| 1 | 2000 | 4000 | 0.50× |');
  });

  it('names each row by its phase, worker count included', () => {
    const table = formatResultsTable({
      scenarios: [
        scenario('encrypt', '10 keys, 1 worker', [connections(32, 6000, 10000)], 1),
        scenario('encrypt', '10 keys, 2 workers', [connections(32, 9000, 10000)], 2),
      ],
    });
    expect(table.split('\n')[0]).toContain('| scenario | phase | conns |');
    expect(table).toContain('| encrypt | 10 keys, 1 worker | 32 | 6000 |');
    expect(table).toContain('| encrypt | 10 keys, 2 workers | 32 | 9000 |');
  });

  it('marks a scenario that could not run as not available', () => {
    const table = formatResultsTable({
      scenarios: [unavailable('sign', '10 keys', 'UnknownOperationException')],
    });
    expect(table).toContain('| sign | 10 keys | – | not available |');
  });
});

describe('formatTargets', () => {
  it('prints PASS, MISS and n/a', () => {
    const text = formatTargets([
      { target: 'a', goal: 'g', measured: '1', pass: true },
      { target: 'b', goal: 'g', measured: '2', pass: false },
      { target: 'c', goal: 'g', measured: 'not measured', pass: undefined },
    ]);
    expect(text).toContain('| a | g | 1 | PASS |');
    expect(text).toContain('| b | g | 2 | MISS |');
    expect(text).toContain('| c | g | not measured | n/a |');
  });
});

describe('formatReport', () => {
  const run: BenchRun = {
    startedAt: '2026-11-29T18:00:00.000Z',
    mode: 'full',
    machine: {
      cpuModel: 'Test CPU',
      cores: 8,
      memoryBytes: 16 * 2 ** 30,
      nodeVersion: 'v20.20.2',
      platform: 'linux x64',
      loadAverageAtStart: [0.1, 0.2, 0.3],
    },
    security: { authentication: 'enforced', accessKey: 'environment', audit: 'on' },
    store: 'SQLite',
    plan: { connections: [32, 1], rounds: 3, durationSeconds: 5, warmupSeconds: 1 },
    memory: { idleRssBytes: 80 * 2 ** 20, largeStoreIdleRssBytes: 300 * 2 ** 20 },
    largeStore,
    scenarios: [unavailable('re-encrypt', '10 keys', 'ReEncrypt: 400 UnknownOperationException')],
    targets: [{ target: 'idle RSS', goal: '≤ 150 MiB', measured: '80.0 MiB', pass: true }],
  };

  it('names the machine, the security settings and why a scenario was not available', () => {
    const text = formatReport(run);
    expect(text).toContain('Test CPU, 8 cores, 16.0 GiB RAM, Node v20.20.2');
    expect(text).toContain('Authentication: enforced; access key: environment. Audit: on.');
    expect(text).toContain(
      're-encrypt (10 keys): not available — ReEncrypt: 400 UnknownOperationException',
    );
    expect(text).toContain(
      'Idle RSS after start-up: 80.0 MiB; idle RSS with 100000 keys: 300.0 MiB',
    );
    expect(text).toContain(
      '99990 keys in 100.0 s (1000 keys/s; first tenth 1000 keys/s, last tenth 500 keys/s)',
    );
    expect(text).toContain('| idle RSS | ≤ 150 MiB | 80.0 MiB | PASS |');
    expect(text).toContain(
      'After SIGKILL and a restart (start-up with the full store took 2.5 s): 100000 of 100000',
    );
  });

  it('says what was measured at each worker count and that CPU and RSS cover every process', () => {
    const text = formatReport({
      ...run,
      largeStore: { ...largeStore, workers: 2 },
      workerStarts: [
        {
          workers: 1,
          processes: 1,
          idleRssBytes: 80 * 2 ** 20,
          workersAnswering: [],
          probeConnections: 4,
          keys: 0,
        },
        {
          workers: 2,
          processes: 3,
          idleRssBytes: 200 * 2 ** 20,
          workersAnswering: [1, 2],
          probeConnections: 8,
          keys: 600,
        },
      ],
    });
    expect(text).toContain(
      'Trent ran at 1 worker (a single process), then at 2 workers (a primary and 2 worker processes; ' +
        'x-trent-worker 1, 2 answered on 8 fresh connections), on the same data dir',
    );
    expect(text).toContain('the 100000-key phase and the restart ran at 2 workers.');
    expect(text).toContain("summed over the server's processes (100% = one core)");
    expect(text).toContain("adds up each process's own peak");
    expect(text).toContain(
      "Idle RSS after start-up, summed over the server's processes: 1 worker 80.0 MiB " +
        '(1 process, 0 keys), 2 workers 200.0 MiB (3 processes, 600 keys); ' +
        'idle RSS with 100000 keys (2 workers): 300.0 MiB.',
    );
  });
});

describe('describeStart', () => {
  it('says when a cluster answered without the worker header', () => {
    expect(
      describeStart({
        workers: 4,
        processes: 5,
        idleRssBytes: 0,
        workersAnswering: [],
        probeConnections: 16,
        keys: 0,
      }),
    ).toBe(
      '4 workers (a primary and 4 worker processes; no x-trent-worker header on 16 fresh connections)',
    );
  });
});
