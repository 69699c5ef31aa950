// Formats a run as Markdown: the results table, memory and key-store lines, and the target checks.
// The same text is printed to the console and placed in docs/benchmarks.md.
import { formatMachine } from './machine.js';
import type { BenchRun, TargetCheck, WorkerStart } from './results.js';
import type { AfterRunSummary } from './runner.js';
import { workersLabel } from './workers.js';

const MIB = 1024 * 1024;

function fixed(n: number, digits: number): string {
  return Number.isFinite(n) ? n.toFixed(digits) : '–';
}

/** At most 2 decimals, without trailing zeros: 12, 2.5, 1.5. */
function short(n: number): string {
  return String(Number(n.toFixed(2)));
}

function verdict(pass: boolean | undefined): string {
  if (pass === undefined) return 'n/a';
  return pass ? 'PASS' : 'MISS';
}

/** Keys/s in the first and the last tenth of the fill, to show whether creation slows as the store grows. */
function tenthRates(pop: BenchRun['largeStore']['population']): string {
  const points = pop.checkpoints ?? [];
  const first = points[0];
  const last = points[points.length - 1];
  const beforeLast = points[points.length - 2];
  if (first === undefined || last === undefined || beforeLast === undefined) return '';
  const firstRate = first.keys / first.seconds;
  const lastRate = (last.keys - beforeLast.keys) / (last.seconds - beforeLast.seconds);
  return `; first tenth ${fixed(firstRate, 0)} keys/s, last tenth ${fixed(lastRate, 0)} keys/s`;
}

/** The results table's columns: the first two are text, the rest figures (aligned right). */
const RESULT_COLUMNS = [
  'scenario',
  'phase',
  'conns',
  'Trent req/s',
  'baseline req/s',
  'ratio',
  'p50 ms',
  'p90 ms',
  'p99 ms',
  'baseline p99 ms',
  'errors',
  'server CPU',
  'peak RSS MiB',
] as const;

export function formatResultsTable(run: Pick<BenchRun, 'scenarios'>): string {
  const lines = [
    `| ${RESULT_COLUMNS.join(' | ')} |`,
    `| ${RESULT_COLUMNS.map((_, i) => (i < 2 ? '---' : '--:')).join(' | ')} |`,
  ];
  // A scenario that could not run fills its first four cells and leaves the rest empty.
  const emptyRest = ' |'.repeat(RESULT_COLUMNS.length - 4);
  for (const s of run.scenarios) {
    if (!s.available) {
      lines.push(`| ${s.title} | ${s.phase} | – | not available |${emptyRest}`);
      continue;
    }
    for (const r of s.results) {
      const t = r.trent;
      lines.push(
        `| ${s.title} | ${s.phase} | ${String(r.connections)} | ${fixed(t.requestsPerSecond, 0)} | ` +
          `${fixed(r.baseline.requestsPerSecond, 0)} | ${r.ratioToBaseline === undefined ? '–' : `${fixed(r.ratioToBaseline, 2)}×`} | ` +
          `${fixed(t.p50Ms, 2)} | ${fixed(t.p90Ms, 2)} | ${fixed(t.p99Ms, 2)} | ${fixed(r.baseline.p99Ms, 2)} | ${String(t.errors)} | ` +
          `${fixed(t.serverCpuCores * 100, 0)}% | ${fixed(t.serverPeakRssBytes / MIB, 0)} |`,
      );
    }
  }
  return lines.join('\n');
}

/** "1 worker (a single process)", "2 workers (a primary and 2 worker processes; …)". */
export function describeStart(start: WorkerStart): string {
  const label = workersLabel(start.workers);
  if (start.processes <= 1) return `${label} (a single process)`;
  const seen =
    start.workersAnswering.length === 0
      ? `no x-trent-worker header on ${String(start.probeConnections)} fresh connections`
      : `x-trent-worker ${start.workersAnswering.join(', ')} answered on ${String(start.probeConnections)} fresh connections`;
  return `${label} (a primary and ${String(start.processes - 1)} worker processes; ${seen})`;
}

function workersLines(run: BenchRun): string[] {
  const starts = run.workerStarts ?? [];
  if (starts.length === 0) return [];
  const large =
    run.largeStore.workers === undefined
      ? ''
      : `; the ${String(run.largeStore.keys)}-key phase and the restart ran at ${workersLabel(run.largeStore.workers)}`;
  const restarted =
    starts.length > 1
      ? ', on the same data dir (stopped with SIGTERM and started again between worker counts)'
      : '';
  return [`Trent ran at ${starts.map(describeStart).join(', then at ')}${restarted}${large}.`];
}

function measuresLine(run: BenchRun): string {
  if ((run.workerStarts ?? []).length === 0)
    return '"server CPU" is CPU time over wall time (100% = one core).';
  return (
    '"server CPU" is CPU time over wall time summed over the server\'s processes (100% = one core); ' +
    '"peak RSS" adds up each process\'s own peak during the run (an upper bound of the peak at any one moment).'
  );
}

function idleRssLine(run: BenchRun): string {
  const starts = run.workerStarts ?? [];
  const large = `idle RSS with ${String(run.largeStore.keys)} keys`;
  if (starts.length === 0)
    return (
      `- Idle RSS after start-up: ${fixed(run.memory.idleRssBytes / MIB, 1)} MiB; ` +
      `${large}: ${fixed(run.memory.largeStoreIdleRssBytes / MIB, 1)} MiB.`
    );
  const each = starts.map((s) => {
    // Several processes share pages (Node's code): their PSS sums them once, their RSS once each.
    const pss =
      s.processes > 1 && s.idlePssBytes !== undefined
        ? `, PSS summed ${fixed(s.idlePssBytes / MIB, 1)} MiB`
        : '';
    return `${workersLabel(s.workers)} ${fixed(s.idleRssBytes / MIB, 1)} MiB (${String(s.processes)} ${s.processes === 1 ? 'process' : 'processes'}, ${String(s.keys)} keys${pss})`;
  });
  const largeWorkers =
    run.largeStore.workers === undefined ? '' : ` (${workersLabel(run.largeStore.workers)})`;
  return (
    `- Idle RSS after start-up, summed over the server's processes: ${each.join(', ')}; ` +
    `${large}${largeWorkers}: ${fixed(run.memory.largeStoreIdleRssBytes / MIB, 1)} MiB.`
  );
}

/**
 * "6.3 µs per request (6.5 over the whole wait), busy 8.1 s, settled in 20.3 s": the work a cell's
 * Trent runs left behind, as the console line and the report both give it.
 */
export function afterRunFigures(after: AfterRunSummary): string {
  return (
    `${fixed(after.cpuMicrosecondsPerRequest, 1)} µs per request ` +
    `(${fixed(after.waitCpuMicrosecondsPerRequest, 1)} over the whole wait), busy ` +
    `${fixed(after.busySeconds, 1)} s, settled in ${fixed(after.settleSeconds, 1)} s`
  );
}

/**
 * One line per phase whose Trent runs were followed by a wait for the server: what the server did
 * after each run, which the run's req/s does not include.
 */
export function afterRunLines(run: Pick<BenchRun, 'scenarios' | 'settle'>): string[] {
  const byPhase = new Map<string, string[]>();
  for (const s of run.scenarios)
    for (const r of s.results) {
      const after = r.trentAfterRun;
      if (after === undefined) continue;
      const unsettled =
        after.unsettledRounds > 0
          ? ` (${String(after.unsettledRounds)} still busy when the wait gave up)`
          : '';
      const cells = byPhase.get(s.phase) ?? [];
      cells.push(`${s.title} @${String(r.connections)} ${afterRunFigures(after)}${unsettled}`);
      byPhase.set(s.phase, cells);
    }
  const rule = run.settle;
  const how =
    rule === undefined
      ? 'until the server was idle'
      : `until the server had used under ${short(rule.idleCores * 100)}% of a core in every ` +
        `${short(rule.spanSeconds)} s of ${short(rule.windowSeconds)} s (at most ${short(rule.maxSeconds)} s)`;
  return [...byPhase].map(
    ([phase, cells]) =>
      `- Server CPU after the run (${phase}): after each Trent run the bench waited ${how}; what ` +
      `the server did from the end of the load until that quiet stretch began (deferred last-use writes ` +
      `and the like; "busy" is how long) is not in the run's req/s. Medians over the rounds, per request ` +
      `of the run, with the CPU of the whole wait (quiet stretch included) in brackets: ${cells.join('; ')}.`,
  );
}

export function formatTargets(targets: readonly TargetCheck[]): string {
  const lines = ['| target | goal | measured | verdict |', '| --- | --- | --: | --- |'];
  for (const t of targets)
    lines.push(`| ${t.target} | ${t.goal} | ${t.measured} | ${verdict(t.pass)} |`);
  return lines.join('\n');
}

export function formatReport(run: BenchRun): string {
  const unavailable = run.scenarios.filter((s) => !s.available);
  const ls = run.largeStore.listKeys;
  const pop = run.largeStore.population;
  const parts = [
    `Run ${run.startedAt} (${run.mode}) on ${formatMachine(run.machine)}.`,
    ...(run.mode === 'quick'
      ? [
          '',
          'A quick run checks that the harness and every scenario work: its runs are too short, and ' +
            'not warmed up, for its figures to say how fast Trent is.',
        ]
      : []),
    '',
    `Server: \`trent serve\`, ${run.store}. Authentication: ${run.security.authentication}; ` +
      `access key: ${run.security.accessKey}. Audit: ${run.security.audit}.`,
    ...workersLines(run),
    `Each cell is the median of ${String(run.plan.rounds)} ${run.plan.rounds === 1 ? 'round' : 'rounds'} of ${String(run.plan.durationSeconds)} s, ` +
      `Trent and baseline alternating${run.loadGenerator === undefined ? '' : `, loaded by ${run.loadGenerator}`}; ` +
      measuresLine(run),
    '',
    formatResultsTable(run),
    '',
    ...afterRunLines(run),
    idleRssLine(run),
    `- Store filled to ${String(run.largeStore.keys)} keys by ${pop.method}: ${String(pop.created)} keys in ` +
      `${fixed(pop.seconds, 1)} s (${fixed(pop.keysPerSecond, 0)} keys/s${tenthRates(pop)}).`,
    `- ListKeys over ${String(ls.keysListed)} keys, Limit ${String(ls.limit)}: ${String(ls.pages)} pages in ` +
      `${fixed(ls.totalSeconds, 2)} s; per page p50 ${fixed(ls.pageP50Ms, 1)} ms, p99 ${fixed(ls.pageP99Ms, 1)} ms, ` +
      `max ${fixed(ls.pageMaxMs, 1)} ms.`,
  ];
  const restart = run.largeStore.restart;
  if (restart !== undefined)
    parts.push(
      `- After ${restart.signal} and a restart (start-up with the full store took ${fixed(restart.startSeconds, 1)} s): ` +
        `${String(restart.keysAfterRestart)} of ${String(restart.keysAcknowledged)} acknowledged keys present.`,
    );
  for (const s of unavailable)
    parts.push(
      `- ${s.title} (${s.phase}): not available — ${s.unavailableReason ?? 'unknown reason'}.`,
    );
  parts.push('', formatTargets(run.targets));
  return parts.join('\n');
}
