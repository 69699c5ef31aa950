// Drives one load run against one target with wrk or autocannon and measures it: request rate,
// latency percentiles over every response, errors (any non-2xx counts), the server's CPU and peak RSS
// summed over its process tree (a cluster's primary and its workers).
import autocannon, { type Request, type Result } from 'autocannon';
import { processTree, resetTreePeakRss, treeCpuSeconds, treeMemory } from './proc-stats.js';
import { percentile } from './stats.js';
import { runWrk } from './wrk.js';

/**
 * wrk (a separate C process; `threads` of its own) or autocannon (inside the bench's Node process).
 * Both targets of a run always get the same generator.
 */
export type LoadGenerator =
  | { readonly kind: 'wrk'; readonly threads: number; readonly workDir: string }
  | { readonly kind: 'autocannon' };

export interface PreparedRequest {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface Target {
  readonly name: string;
  readonly pid: number;
  readonly host: string;
  readonly port: number;
}

export interface LoadSpec {
  readonly connections: number;
  readonly durationSeconds: number;
  /** Cycled through in order; each is already signed. */
  readonly requests: readonly PreparedRequest[];
  readonly generator: LoadGenerator;
}

export interface RunResult {
  readonly responses: number;
  readonly elapsedSeconds: number;
  readonly requestsPerSecond: number;
  readonly latencyMs: { readonly p50: number; readonly p90: number; readonly p99: number };
  readonly errors: number;
  readonly statusCounts: Readonly<Record<string, number>>;
  /** Server CPU time over wall time, summed over its processes: 1.0 is one core fully busy. */
  readonly serverCpuCores: number;
  /** The sum of each server process's own peak RSS during the run. */
  readonly serverPeakRssBytes: number;
  /** Server processes measured (1 for a single process; a cluster's primary plus its workers). */
  readonly serverProcesses: number;
}

function autocannonRequests(pool: readonly PreparedRequest[]): Request[] {
  if (pool.length === 1) {
    const only = pool[0]!;
    return [{ method: 'POST', path: '/', headers: { ...only.headers }, body: only.body }];
  }
  let next = 0;
  return [
    {
      method: 'POST',
      path: '/',
      setupRequest: (request) => {
        const chosen = pool[next % pool.length]!;
        next++;
        return { ...request, headers: { ...chosen.headers }, body: chosen.body };
      },
    },
  ];
}

export async function runLoad(target: Target, spec: LoadSpec): Promise<RunResult> {
  if (spec.requests.length === 0) throw new Error('a load run needs at least one request');
  return spec.generator.kind === 'wrk'
    ? runWithWrk(target, spec, spec.generator)
    : runWithAutocannon(target, spec);
}

async function runWithWrk(
  target: Target,
  spec: LoadSpec,
  generator: { readonly threads: number; readonly workDir: string },
): Promise<RunResult> {
  const pids = processTree(target.pid);
  let cpuBefore = treeCpuSeconds(pids);
  let started = process.hrtime.bigint();
  const figures = await runWrk({
    url: `http://${target.host}:${String(target.port)}/`,
    connections: spec.connections,
    durationSeconds: spec.durationSeconds,
    threads: generator.threads,
    workDir: generator.workDir,
    pool: spec.requests,
    onLoaded: () => {
      resetTreePeakRss(pids);
      cpuBefore = treeCpuSeconds(pids);
      started = process.hrtime.bigint();
    },
  });
  // CPU from when wrk had read its pool until it ended (its reading left out: the server is idle
  // then), the rate over wrk's own time.
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuAfter = treeCpuSeconds(pids);
  const peak = treeMemory(pids).peakRssBytes;
  return {
    responses: figures.requests,
    elapsedSeconds: figures.durationSeconds,
    requestsPerSecond: figures.requests / figures.durationSeconds,
    latencyMs: figures.latencyMs,
    errors: figures.statusErrors + figures.socketErrors,
    statusCounts: {
      '2xx/3xx': figures.requests - figures.statusErrors,
      '4xx/5xx': figures.statusErrors,
    },
    serverCpuCores: (cpuAfter - cpuBefore) / wallSeconds,
    serverPeakRssBytes: peak,
    serverProcesses: pids.length,
  };
}

async function runWithAutocannon(target: Target, spec: LoadSpec): Promise<RunResult> {
  const latencies: number[] = [];
  const statusCounts: Record<string, number> = Object.create(null) as Record<string, number>;
  // The same processes before and after: a worker that ends during the run counts as 0 afterwards.
  const pids = processTree(target.pid);
  resetTreePeakRss(pids);
  const cpuBefore = treeCpuSeconds(pids);
  const started = process.hrtime.bigint();
  const result = await new Promise<Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: `http://${target.host}:${String(target.port)}`,
        connections: spec.connections,
        duration: spec.durationSeconds,
        timeout: 10,
        // autocannon notices the end of a run only when it samples; sample often so runs end on time.
        sampleInt: 50,
        requests: autocannonRequests(spec.requests),
      },
      (err, res) => {
        if (err) reject(err);
        else resolve(res);
      },
    );
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      latencies.push(ms);
      const key = String(status);
      statusCounts[key] = (statusCounts[key] ?? 0) + 1;
    });
  });
  const elapsedSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuAfter = treeCpuSeconds(pids);
  const peak = treeMemory(pids).peakRssBytes;
  latencies.sort((a, b) => a - b);
  let non2xx = 0;
  for (const [status, count] of Object.entries(statusCounts))
    if (!status.startsWith('2')) non2xx += count;
  return {
    responses: latencies.length,
    elapsedSeconds,
    requestsPerSecond: latencies.length / elapsedSeconds,
    latencyMs: {
      p50: percentile(latencies, 50),
      p90: percentile(latencies, 90),
      p99: percentile(latencies, 99),
    },
    errors: non2xx + result.errors + result.timeouts,
    statusCounts,
    serverCpuCores: (cpuAfter - cpuBefore) / elapsedSeconds,
    serverPeakRssBytes: peak,
    serverProcesses: pids.length,
  };
}
