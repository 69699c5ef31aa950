// Hand-made results for the report and target tests: fixed numbers, no measurement.
import type { RunResult } from './load.js';
import type { ConnectionsResult, ScenarioResult, Summary } from './runner.js';

/** One load run of `responses` answers in one second. */
export function runResult(responses: number): RunResult {
  return {
    responses,
    elapsedSeconds: 1,
    requestsPerSecond: responses,
    latencyMs: { p50: 1, p90: 1.5, p99: 2 },
    errors: 0,
    statusCounts: { '200': responses },
    serverCpuCores: 0.95,
    serverPeakRssBytes: 100 * 1024 * 1024,
    serverProcesses: 1,
  };
}

export function summary(requestsPerSecond: number, p99Ms = 2, errors = 0): Summary {
  return {
    requestsPerSecond,
    p50Ms: 1,
    p90Ms: 1.5,
    p99Ms,
    errors,
    serverCpuCores: 0.95,
    serverPeakRssBytes: 100 * 1024 * 1024,
  };
}

const noRounds: readonly RunResult[] = [];

export function connections(
  n: number,
  trentRps: number,
  baselineRps: number,
  p99Ms = 2,
  errors = 0,
): ConnectionsResult {
  return {
    connections: n,
    trent: summary(trentRps, p99Ms, errors),
    baseline: summary(baselineRps),
    ratioToBaseline: trentRps / baselineRps,
    trentRounds: noRounds,
    baselineRounds: noRounds,
  };
}

export function scenario(
  id: string,
  phase: string,
  results: ConnectionsResult[],
  workers?: number,
): ScenarioResult {
  return {
    id,
    title: id,
    phase,
    ...(workers === undefined ? {} : { workers }),
    available: true,
    distinctRequests: 1,
    responseBytes: 100,
    results,
  };
}

export function unavailable(id: string, phase: string, reason: string): ScenarioResult {
  return {
    id,
    title: id,
    phase,
    available: false,
    unavailableReason: reason,
    distinctRequests: 0,
    responseBytes: 0,
    results: [],
  };
}

export const largeStore = {
  keys: 100_000,
  population: {
    method: 'CreateKey',
    created: 99_990,
    seconds: 100,
    keysPerSecond: 999.9,
    checkpoints: [
      { keys: 9_999, seconds: 10 },
      { keys: 89_991, seconds: 80 },
      { keys: 99_990, seconds: 100 },
    ],
  },
  restart: {
    signal: 'SIGKILL' as const,
    keysAcknowledged: 100_000,
    keysAfterRestart: 100_000,
    startSeconds: 2.5,
  },
  listKeys: {
    keysListed: 100_000,
    pages: 100,
    limit: 1000,
    totalSeconds: 1.5,
    pageP50Ms: 12,
    pageP99Ms: 30,
    pageMaxMs: 31,
  },
};
