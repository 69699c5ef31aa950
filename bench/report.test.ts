import { describe, expect, it } from 'vitest';
import {
  afterRunLines,
  describeStart,
  formatReport,
  formatResultsTable,
  formatTargets,
} from './report.js';
import type { BenchRun } from './results.js';
import type { ConnectionsResult } from './runner.js';
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
    // The baseline's p99 (the fixture's default, 2 ms) stands beside Trent's.
    expect(rows[2]).toBe(
      '| encrypt | 10 keys | 32 | 6000 | 10000 | 0.60× | 1.00 | 1.50 | 4.50 | 2.00 | 0 | 95% | 100 |',
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

  it('says that a quick run checks the harness, not the speed, and counts one round as one', () => {
    const full = formatReport(run);
    expect(full).toContain('Each cell is the median of 3 rounds of 5 s');
    expect(full).not.toContain('A quick run');
    const quick = formatReport({
      ...run,
      mode: 'quick',
      plan: { connections: [32, 1], rounds: 1, durationSeconds: 0.1, warmupSeconds: 0 },
    });
    expect(quick).toContain('A quick run checks that the harness and every scenario work');
    expect(quick).toContain('Each cell is the median of 1 round of 0.1 s');
  });

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
          idlePssBytes: 120 * 2 ** 20,
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
        '(1 process, 0 keys), 2 workers 200.0 MiB (3 processes, 600 keys, PSS summed 120.0 MiB); ' +
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

describe('afterRunLines', () => {
  const settling = (n: number, cpu: number, unsettledRounds = 0): ConnectionsResult => ({
    ...connections(n, 8000, 40000),
    trentAfterRun: {
      cpuMicrosecondsPerRequest: cpu,
      waitCpuMicrosecondsPerRequest: cpu + 0.5,
      busySeconds: 8.14,
      settleSeconds: 20.25,
      unsettledRounds,
    },
  });
  const spread = '100000 keys, spread, 2 workers';

  it('gives one line per settling phase, with each cell and the rule of the wait', () => {
    const lines = afterRunLines({
      scenarios: [
        scenario('encrypt', '10 keys, 2 workers', [connections(32, 9000, 40000)]),
        scenario('encrypt', spread, [settling(32, 6.44), settling(1, 2)]),
        scenario('decrypt', spread, [settling(32, 7, 1)]),
      ],
      settle: { windowSeconds: 12, spanSeconds: 1, idleCores: 0.015, maxSeconds: 30 },
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`Server CPU after the run (${spread})`);
    expect(lines[0]).toContain('under 1.5% of a core in every 1 s of 12 s (at most 30 s)');
    expect(lines[0]).toContain("is not in the run's req/s");
    expect(lines[0]).toContain(
      'encrypt @32 6.4 µs per request (6.9 over the whole wait), busy 8.1 s, settled in 20.3 s; ' +
        'encrypt @1 2.0 µs per request (2.5 over the whole wait)',
    );
    expect(lines[0]).toContain(
      'decrypt @32 7.0 µs per request (7.5 over the whole wait), busy 8.1 s, settled in 20.3 s ' +
        '(1 still busy when the wait gave up).',
    );
  });

  it('writes a short window as it is', () => {
    const [line] = afterRunLines({
      scenarios: [scenario('encrypt', spread, [settling(32, 1)])],
      settle: { windowSeconds: 2.5, spanSeconds: 1, idleCores: 0.015, maxSeconds: 30 },
    });
    expect(line).toContain('in every 1 s of 2.5 s (at most 30 s)');
  });

  it('gives nothing for a run whose phases did not settle', () => {
    expect(
      afterRunLines({
        scenarios: [scenario('encrypt', '10 keys, 2 workers', [connections(32, 9000, 40000)])],
      }),
    ).toEqual([]);
  });

  it('is part of the report, right below the table', () => {
    const text = formatReport({
      startedAt: '2026-11-29T18:00:00.000Z',
      mode: 'quick',
      machine: {
        cpuModel: 'Test CPU',
        cores: 2,
        memoryBytes: 2 ** 30,
        nodeVersion: 'v20.20.2',
        platform: 'linux x64',
        loadAverageAtStart: [0, 0, 0],
      },
      security: { authentication: 'enforced', accessKey: 'environment', audit: 'on' },
      store: 'SQLite',
      plan: { connections: [32], rounds: 2, durationSeconds: 1, warmupSeconds: 0 },
      memory: { idleRssBytes: 2 ** 20, largeStoreIdleRssBytes: 2 ** 20 },
      largeStore,
      scenarios: [scenario('encrypt', spread, [settling(32, 6.44)])],
      targets: [],
    });
    const lines = text.split('\n');
    const lastRow = lines.findIndex((l) => l.startsWith('| encrypt | 100000 keys, spread'));
    expect(lines[lastRow + 2]).toMatch(/^- Server CPU after the run \(100000 keys, spread/);
    expect(lines[lastRow + 3]).toMatch(/^- Idle RSS after start-up/);
    expect(text).toContain('waited until the server was idle;');
  });
});
