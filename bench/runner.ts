// Runs one scenario against Trent and the baseline: signs its requests once, checks that Trent
// answers them, sizes the baseline's answer to match, then alternates Trent and baseline runs.
import { sendRaw } from './kms-call.js';
import {
  runLoad,
  type LoadGenerator,
  type LoadSpec,
  type PreparedRequest,
  type RunResult,
  type Target,
} from './load.js';
import { afterRunFigures } from './report.js';
import type { RequestTemplate, Scenario, SetupApi } from './scenarios.js';
import { settleServer, type SettleResult, type SettleRule } from './settle.js';
import type { RequestSigner } from './sigv4.js';
import { median, ratio } from './stats.js';

export interface RunPlan {
  readonly connections: readonly number[];
  readonly rounds: number;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
}

export interface Summary {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly serverCpuCores: number;
  readonly serverPeakRssBytes: number;
}

/** A Trent run; in a phase that settles, with what the server did after the load (settle.ts). */
export interface TrentRound extends RunResult {
  readonly afterRun?: SettleResult;
}

/** The work Trent's runs left behind, over the rounds of one cell (medians). */
export interface AfterRunSummary {
  /** The server's CPU from the end of the load to the quiet window, per response of the run. */
  readonly cpuMicrosecondsPerRequest: number;
  /** The same over the whole wait, the quiet window included. */
  readonly waitCpuMicrosecondsPerRequest: number;
  /** From the end of the load to the quiet window. */
  readonly busySeconds: number;
  /** From the end of the load to the end of the wait. */
  readonly settleSeconds: number;
  /** Rounds whose server was still busy when the wait gave up. */
  readonly unsettledRounds: number;
}

export interface ConnectionsResult {
  readonly connections: number;
  readonly trent: Summary;
  readonly baseline: Summary;
  /** Trent req/s over baseline req/s (medians). */
  readonly ratioToBaseline: number | undefined;
  /** Only in a phase that settles after each Trent run; not part of `trent`'s req/s. */
  readonly trentAfterRun?: AfterRunSummary;
  readonly trentRounds: readonly TrentRound[];
  readonly baselineRounds: readonly RunResult[];
}

export interface Phase {
  readonly label: string;
  readonly workers: number;
  /**
   * When present, each Trent run is followed by a wait until the server is idle, measuring what it
   * did meanwhile: the large store's spread phase, where last uses are written up to 10 s later.
   */
  readonly settle?: SettleRule;
}

export interface ScenarioResult {
  readonly id: string;
  readonly title: string;
  readonly phase: string;
  /** The server's worker count in this phase (absent in results written before it was measured). */
  readonly workers?: number;
  readonly available: boolean;
  readonly unavailableReason?: string;
  readonly distinctRequests: number;
  readonly responseBytes: number;
  readonly results: readonly ConnectionsResult[];
}

export interface Targets {
  readonly trent: Target;
  readonly baseline: Target;
  readonly signer: RequestSigner;
  readonly generator: LoadGenerator;
}

function hostOf(target: Target): string {
  return `${target.host}:${String(target.port)}`;
}

export function signPool(
  templates: readonly RequestTemplate[],
  signer: RequestSigner,
  host: string,
  date: Date,
): PreparedRequest[] {
  return templates.map((t) => ({
    headers: signer.sign({ host, target: `TrentService.${t.operation}`, body: t.body, date }),
    body: t.body,
  }));
}

/** The same requests aimed at another host (the baseline does not check signatures). */
function retarget(pool: readonly PreparedRequest[], host: string): PreparedRequest[] {
  return pool.map((r) => ({ headers: { ...r.headers, host }, body: r.body }));
}

/** Sends the first request of each operation; returns the pool's mean answer size or an error. */
async function probe(
  target: Target,
  templates: readonly RequestTemplate[],
  pool: readonly PreparedRequest[],
): Promise<{ responseBytes: number } | { error: string }> {
  const sizeByOperation = new Map<string, number>();
  for (let i = 0; i < templates.length; i++) {
    const operation = templates[i]!.operation;
    if (sizeByOperation.has(operation)) continue;
    const request = pool[i]!;
    const answer = await sendRaw(target, request.headers, request.body);
    if (answer.status < 200 || answer.status >= 300) {
      const type = typeof answer.json.__type === 'string' ? answer.json.__type : 'unknown';
      const message = typeof answer.json.message === 'string' ? answer.json.message : '';
      return { error: `${operation}: ${String(answer.status)} ${type} ${message}`.trim() };
    }
    sizeByOperation.set(operation, Buffer.byteLength(answer.text));
  }
  let total = 0;
  for (const t of templates) total += sizeByOperation.get(t.operation) ?? 0;
  return { responseBytes: Math.round(total / templates.length) };
}

export function summarize(rounds: readonly RunResult[]): Summary {
  return {
    requestsPerSecond: median(rounds.map((r) => r.requestsPerSecond)),
    p50Ms: median(rounds.map((r) => r.latencyMs.p50)),
    p90Ms: median(rounds.map((r) => r.latencyMs.p90)),
    p99Ms: median(rounds.map((r) => r.latencyMs.p99)),
    errors: rounds.reduce((sum, r) => sum + r.errors, 0),
    serverCpuCores: median(rounds.map((r) => r.serverCpuCores)),
    serverPeakRssBytes: Math.max(0, ...rounds.map((r) => r.serverPeakRssBytes)),
  };
}

/** The medians of the rounds' after-run figures; undefined when no round waited for the server. */
export function summarizeAfterRun(rounds: readonly TrentRound[]): AfterRunSummary | undefined {
  const measured = rounds.filter(
    (r): r is TrentRound & { afterRun: SettleResult } => r.afterRun !== undefined,
  );
  if (measured.length === 0) return undefined;
  const answered = measured.filter((r) => r.responses > 0);
  const perRequest = (cpu: (after: SettleResult) => number) =>
    answered.length === 0
      ? NaN
      : median(answered.map((r) => (cpu(r.afterRun) / r.responses) * 1e6));
  return {
    cpuMicrosecondsPerRequest: perRequest((a) => a.deferredCpuSeconds),
    waitCpuMicrosecondsPerRequest: perRequest((a) => a.waitCpuSeconds),
    busySeconds: median(measured.map((r) => r.afterRun.busySeconds)),
    settleSeconds: median(measured.map((r) => r.afterRun.seconds)),
    unsettledRounds: measured.filter((r) => !r.afterRun.settled).length,
  };
}

/** How a cell's runs are made; the tests give fakes. */
export interface RoundSteps {
  readonly load: (target: Target, spec: LoadSpec) => Promise<RunResult>;
  readonly settle: (target: Target, rule: SettleRule) => Promise<SettleResult>;
}

export const LIVE_STEPS: RoundSteps = {
  load: runLoad,
  settle: (target, rule) => settleServer(target.pid, rule),
};

export interface Cell {
  readonly trent: Target;
  readonly baseline: Target;
  readonly trentSpec: LoadSpec;
  readonly baselineSpec: LoadSpec;
  readonly rounds: number;
  /** 0: no warm-up. */
  readonly warmupSeconds: number;
  /** Absent: no wait after Trent's runs. */
  readonly settle: SettleRule | undefined;
}

/**
 * The warm-up of each target, then Trent, baseline, Trent, baseline … In a phase that settles, each
 * Trent run (the warm-up too) is followed by a wait until the server is idle, so that the work it
 * left behind lands in neither the baseline's run nor Trent's next one.
 */
export async function runCell(
  cell: Cell,
  steps: RoundSteps,
): Promise<{ trentRounds: TrentRound[]; baselineRounds: RunResult[] }> {
  const runTrent = async (spec: LoadSpec): Promise<TrentRound> => {
    const result = await steps.load(cell.trent, spec);
    if (cell.settle === undefined) return result;
    return { ...result, afterRun: await steps.settle(cell.trent, cell.settle) };
  };
  if (cell.warmupSeconds > 0) {
    await runTrent({ ...cell.trentSpec, durationSeconds: cell.warmupSeconds });
    await steps.load(cell.baseline, {
      ...cell.baselineSpec,
      durationSeconds: cell.warmupSeconds,
    });
  }
  const trentRounds: TrentRound[] = [];
  const baselineRounds: RunResult[] = [];
  // A, B, A, B …: drift on a shared machine hits both targets alike.
  for (let round = 0; round < cell.rounds; round++) {
    trentRounds.push(await runTrent(cell.trentSpec));
    baselineRounds.push(await steps.load(cell.baseline, cell.baselineSpec));
  }
  return { trentRounds, baselineRounds };
}

/**
 * ", server CPU after the run 6.2 µs per request (6.4 over the whole wait), busy 8.1 s, settled in
 * 20.3 s", or nothing.
 */
export function describeAfterRun(after: AfterRunSummary | undefined): string {
  if (after === undefined) return '';
  const unsettled =
    after.unsettledRounds > 0
      ? `, ${String(after.unsettledRounds)} still busy when the wait gave up`
      : '';
  return `, server CPU after the run ${afterRunFigures(after)}${unsettled}`;
}

async function setBaselineSize(baseline: Target, bytes: number): Promise<void> {
  const answer = await sendRaw(
    baseline,
    { 'content-type': 'text/plain' },
    String(bytes),
    '/_baseline',
  );
  if (answer.status !== 200) throw new Error(`baseline refused its size: ${answer.text}`);
}

export async function runScenario(
  scenario: Scenario,
  phase: Phase,
  api: SetupApi,
  targets: Targets,
  plan: RunPlan,
  log: (line: string) => void,
): Promise<ScenarioResult> {
  const base = {
    id: scenario.id,
    title: scenario.title,
    phase: phase.label,
    workers: phase.workers,
  };
  let templates: RequestTemplate[];
  try {
    templates = await scenario.prepare(api);
  } catch (err) {
    if (scenario.required) throw err;
    const reason = (err as Error).message;
    log(`  ${scenario.title}: not available (${reason})`);
    return {
      ...base,
      available: false,
      unavailableReason: reason,
      distinctRequests: 0,
      responseBytes: 0,
      results: [],
    };
  }
  // Signed once per scenario: a SigV4 signature stays valid for five minutes.
  const trentPool = signPool(templates, targets.signer, hostOf(targets.trent), new Date());
  const baselinePool = retarget(trentPool, hostOf(targets.baseline));
  const probed = await probe(targets.trent, templates, trentPool);
  if ('error' in probed) {
    if (scenario.required) throw new Error(`${scenario.title} failed: ${probed.error}`);
    log(`  ${scenario.title}: not available (${probed.error})`);
    return {
      ...base,
      available: false,
      unavailableReason: probed.error,
      distinctRequests: templates.length,
      responseBytes: 0,
      results: [],
    };
  }
  await setBaselineSize(targets.baseline, probed.responseBytes);
  const results: ConnectionsResult[] = [];
  for (const connections of plan.connections) {
    const cap = scenario.maxRunSeconds ?? Infinity;
    const trentSpec = {
      connections,
      durationSeconds: Math.min(plan.durationSeconds, cap),
      requests: trentPool,
      generator: targets.generator,
    };
    const baselineSpec = { ...trentSpec, requests: baselinePool };
    const { trentRounds, baselineRounds } = await runCell(
      {
        trent: targets.trent,
        baseline: targets.baseline,
        trentSpec,
        baselineSpec,
        rounds: plan.rounds,
        warmupSeconds: Math.min(plan.warmupSeconds, cap),
        settle: phase.settle,
      },
      LIVE_STEPS,
    );
    const trent = summarize(trentRounds);
    const baseline = summarize(baselineRounds);
    const trentAfterRun = summarizeAfterRun(trentRounds);
    const result: ConnectionsResult = {
      connections,
      trent,
      baseline,
      ratioToBaseline: ratio(trent.requestsPerSecond, baseline.requestsPerSecond),
      ...(trentAfterRun === undefined ? {} : { trentAfterRun }),
      trentRounds,
      baselineRounds,
    };
    log(
      `  ${scenario.title} @${String(connections)}: ${trent.requestsPerSecond.toFixed(0)} req/s ` +
        `(baseline ${baseline.requestsPerSecond.toFixed(0)}), p99 ${trent.p99Ms.toFixed(2)} ms, ` +
        `errors ${String(trent.errors)}${describeAfterRun(trentAfterRun)}`,
    );
    results.push(result);
  }
  return {
    ...base,
    available: true,
    distinctRequests: templates.length,
    responseBytes: probed.responseBytes,
    results,
  };
}
