// Compares a run against the performance targets and says PASS or MISS for each. Read by people;
// never asserted by a test, because timing on a shared machine proves nothing.
import type { BenchRun, TargetCheck } from './results.js';
import type { ConnectionsResult, ScenarioResult } from './runner.js';

export const IDLE_RSS_LIMIT_BYTES = 150 * 1024 * 1024;
export const HOT_PATH_IDS = ['encrypt', 'decrypt', 'generate-data-key'] as const;

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

function check(
  target: string,
  goal: string,
  measured: number | undefined,
  ok: (v: number) => boolean,
  unit: string,
): TargetCheck {
  if (measured === undefined) return { target, goal, measured: 'not measured', pass: undefined };
  return {
    target,
    goal,
    measured: `${measured.toFixed(unit === 'x' ? 2 : 1)}${unit === 'x' ? '×' : ` ${unit}`}`,
    pass: ok(measured),
  };
}

export function checkTargets(
  run: Pick<BenchRun, 'scenarios' | 'memory' | 'largeStore'>,
  smallPhase: string,
  largePhase: string,
): TargetCheck[] {
  const out: TargetCheck[] = [];
  for (const id of HOT_PATH_IDS) {
    const r = at(run.scenarios, id, smallPhase, 32);
    out.push(check(`${id} @32 vs baseline`, '≥ 0.60×', r?.ratioToBaseline, (v) => v >= 0.6, 'x'));
    out.push(check(`${id} @32 p99`, '≤ 5 ms', r?.trent.p99Ms, (v) => v <= 5, 'ms'));
  }
  const createKey = at(run.scenarios, 'create-key', smallPhase, 32);
  out.push(
    check(
      'CreateKey @32',
      '≥ 500 keys/s',
      createKey?.trent.requestsPerSecond,
      (v) => v >= 500,
      'keys/s',
    ),
  );
  for (const s of run.scenarios.filter((x) => x.phase === largePhase && x.available)) {
    const large = s.results.find((r) => r.connections === 32);
    const small = at(run.scenarios, s.id, smallPhase, 32);
    const share =
      large && small && small.trent.requestsPerSecond > 0
        ? large.trent.requestsPerSecond / small.trent.requestsPerSecond
        : undefined;
    out.push(
      check(
        `${s.id} @32, ${String(run.largeStore.keys)} keys vs few keys`,
        '≥ 0.90×',
        share,
        (v) => v >= 0.9,
        'x',
      ),
    );
  }
  out.push(
    check('idle RSS', '≤ 150 MiB', run.memory.idleRssBytes / 2 ** 20, (v) => v <= 150, 'MiB'),
  );
  const restart = run.largeStore.restart;
  if (restart !== undefined)
    out.push({
      target: `acknowledged keys present after ${restart.signal} and restart`,
      goal: String(restart.keysAcknowledged),
      measured: String(restart.keysAfterRestart),
      pass: restart.keysAfterRestart >= restart.keysAcknowledged,
    });
  let errors = 0;
  for (const s of run.scenarios)
    for (const r of s.results) errors += r.trent.errors + r.baseline.errors;
  out.push({
    target: 'errors in every run',
    goal: '0',
    measured: String(errors),
    pass: errors === 0,
  });
  return out;
}
