// Compares a run against the performance targets and says PASS or MISS for each. Read by people;
// never asserted by a test, because timing on a shared machine proves nothing. Throughput and latency
// targets are judged at the largest worker count measured; the figures of the smallest (1 worker by
// default) are shown beside them.
import type { BenchRun, TargetCheck } from './results.js';
import type { ConnectionsResult, ScenarioResult } from './runner.js';
import { workersLabel } from './workers.js';

export const IDLE_RSS_LIMIT_BYTES = 150 * 1024 * 1024;
export const HOT_PATH_IDS = ['encrypt', 'decrypt', 'generate-data-key'] as const;

/** Which phases the targets read. */
export interface TargetPhases {
  /** The worker count the targets are judged at: the largest measured. */
  readonly workers: number;
  /** The few-keys phase at that worker count. */
  readonly small: string;
  /** The large-store phase (run at that worker count). */
  readonly large: string;
  /** The smallest worker count's few-keys phase, shown beside; absent when only one count ran. */
  readonly compare?: { readonly workers: number; readonly small: string };
}

function at(
  scenarios: readonly ScenarioResult[],
  id: string,
  phase: string,
  connections: number,
): ConnectionsResult | undefined {
  return scenarios
    .find((s) => s.id === id && s.phase === phase && s.available)
    ?.results.find((r) => r.connections === connections);
}

function format(value: number, unit: string): string {
  return `${value.toFixed(unit === 'x' ? 2 : 1)}${unit === 'x' ? '×' : ` ${unit}`}`;
}

function check(
  target: string,
  goal: string,
  measured: number | undefined,
  ok: (v: number) => boolean,
  unit: string,
  beside?: { readonly label: string; readonly value: number | undefined },
): TargetCheck {
  if (measured === undefined) return { target, goal, measured: 'not measured', pass: undefined };
  const also =
    beside === undefined
      ? ''
      : ` (${beside.label}: ${beside.value === undefined ? 'not measured' : format(beside.value, unit)})`;
  return { target, goal, measured: `${format(measured, unit)}${also}`, pass: ok(measured) };
}

export function checkTargets(
  run: Pick<BenchRun, 'scenarios' | 'memory' | 'largeStore' | 'workerStarts'>,
  phases: TargetPhases,
): TargetCheck[] {
  const out: TargetCheck[] = [];
  const n = workersLabel(phases.workers);
  const compare = phases.compare;
  const beside = (pick: (r: ConnectionsResult | undefined) => number | undefined, id: string) =>
    compare === undefined
      ? undefined
      : {
          label: workersLabel(compare.workers),
          value: pick(at(run.scenarios, id, compare.small, 32)),
        };
  const ratio = (r: ConnectionsResult | undefined) => r?.ratioToBaseline;
  const p99 = (r: ConnectionsResult | undefined) => r?.trent.p99Ms;
  const rate = (r: ConnectionsResult | undefined) => r?.trent.requestsPerSecond;
  for (const id of HOT_PATH_IDS) {
    const r = at(run.scenarios, id, phases.small, 32);
    out.push(
      check(
        `${id} @32 vs baseline, ${n}`,
        '≥ 0.60×',
        ratio(r),
        (v) => v >= 0.6,
        'x',
        beside(ratio, id),
      ),
    );
    out.push(check(`${id} @32 p99, ${n}`, '≤ 5 ms', p99(r), (v) => v <= 5, 'ms', beside(p99, id)));
  }
  const createKey = at(run.scenarios, 'create-key', phases.small, 32);
  out.push(
    check(
      `CreateKey @32, ${n}`,
      '≥ 500 keys/s',
      rate(createKey),
      (v) => v >= 500,
      'keys/s',
      beside(rate, 'create-key'),
    ),
  );
  // Each phase is measured beside its own baseline runs, minutes apart; on a shared machine the
  // baseline itself drifts by 10–30% between phases. So the large store is judged by its ratio to the
  // baseline against the small store's ratio (drift cancels), with the plain req/s share beside it.
  for (const s of run.scenarios.filter((x) => x.phase === phases.large && x.available)) {
    const large = s.results.find((r) => r.connections === 32);
    const small = at(run.scenarios, s.id, phases.small, 32);
    const share = (pick: (r: ConnectionsResult) => number | undefined) => {
      const a = large && pick(large);
      const b = small && pick(small);
      return a !== undefined && b !== undefined && b > 0 ? a / b : undefined;
    };
    out.push(
      check(
        `${s.id} @32, ${String(run.largeStore.keys)} keys vs few keys, ${n}`,
        '≥ 0.90× (ratio to baseline)',
        share((r) => r.ratioToBaseline),
        (v) => v >= 0.9,
        'x',
        { label: 'req/s', value: share((r) => r.trent.requestsPerSecond) },
      ),
    );
  }
  // Idle RSS is judged at the smallest worker count (a single process by default); the largest is
  // shown beside it, summed over the primary and its workers. RSS summed over several processes counts
  // the code they share (Node's) once per process, so a start of several processes is judged by PSS
  // summed instead, which counts those pages once; its RSS is still shown.
  const starts = run.workerStarts ?? [];
  const first = starts[0];
  const last = starts[starts.length - 1];
  const rssRow = check(
    first === undefined ? 'idle RSS' : `idle RSS, ${workersLabel(first.workers)}`,
    '≤ 150 MiB',
    run.memory.idleRssBytes / 2 ** 20,
    (v) => v <= 150,
    'MiB',
    last === undefined || last === first
      ? undefined
      : {
          label: `${workersLabel(last.workers)}, ${String(last.processes)} processes`,
          value: last.idleRssBytes / 2 ** 20,
        },
  );
  out.push(
    first !== undefined && first.processes > 1
      ? {
          ...rssRow,
          target: `${rssRow.target} (summed over ${String(first.processes)} processes)`,
          goal: 'shown; judged by PSS below',
          pass: undefined,
        }
      : rssRow,
  );
  if (last !== undefined && last.processes > 1)
    out.push(
      check(
        `idle memory, ${workersLabel(last.workers)} (PSS summed over ${String(last.processes)} processes)`,
        '≤ 150 MiB',
        last.idlePssBytes === undefined ? undefined : last.idlePssBytes / 2 ** 20,
        (v) => v <= 150,
        'MiB',
      ),
    );
  const restart = run.largeStore.restart;
  if (restart !== undefined)
    out.push({
      target: `acknowledged keys present after ${restart.signal} and restart${restart.workers === undefined ? '' : `, ${workersLabel(restart.workers)}`}`,
      goal: String(restart.keysAcknowledged),
      measured: String(restart.keysAfterRestart),
      pass: restart.keysAfterRestart >= restart.keysAcknowledged,
    });
  let errors = 0;
  let errorsAtN = 0;
  let runsAtN = 0;
  for (const s of run.scenarios)
    for (const r of s.results) {
      errors += r.trent.errors + r.baseline.errors;
      if (s.workers === phases.workers) {
        errorsAtN += r.trent.errors;
        runsAtN++;
      }
    }
  out.push({
    target: 'errors in every run',
    goal: '0',
    measured: String(errors),
    pass: errors === 0,
  });
  out.push({
    target: `Trent errors at ${n}`,
    goal: '0',
    measured: runsAtN === 0 ? 'not measured' : String(errorsAtN),
    pass: runsAtN === 0 ? undefined : errorsAtN === 0,
  });
  return out;
}
