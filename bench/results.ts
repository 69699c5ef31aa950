// The shape of one benchmark run, as written to bench-results/<timestamp>.json.
import type { Machine } from './machine.js';
import type { RunPlan, ScenarioResult } from './runner.js';
import type { SettleRule } from './settle.js';

export interface ListKeysTiming {
  readonly keysListed: number;
  readonly pages: number;
  readonly limit: number;
  readonly totalSeconds: number;
  readonly pageP50Ms: number;
  readonly pageP99Ms: number;
  readonly pageMaxMs: number;
}

export interface Population {
  readonly method: string;
  readonly created: number;
  readonly seconds: number;
  readonly keysPerSecond: number;
  /** Keys created so far and seconds since the start, every tenth of the way. */
  readonly checkpoints?: readonly { readonly keys: number; readonly seconds: number }[];
}

export interface Restart {
  /** How the server was stopped before the restart. */
  readonly signal: 'SIGKILL' | 'SIGTERM';
  readonly keysAcknowledged: number;
  readonly keysAfterRestart: number;
  /** From spawning the process to its "listening" line, with the full store. */
  readonly startSeconds: number;
  /** The worker count before and after the restart (absent in older results: a single process). */
  readonly workers?: number;
}

/** One start of the server at one worker count, measured before any load. */
export interface WorkerStart {
  readonly workers: number;
  /** Processes in the server's tree one second after start: 1, or the primary plus its workers. */
  readonly processes: number;
  /** VmRSS summed over those processes. */
  readonly idleRssBytes: number;
  /**
   * PSS summed over the same processes at the same moment: pages they share counted once. Absent in
   * results from before it was measured, or where /proc/<pid>/smaps_rollup could not be read.
   */
  readonly idlePssBytes?: number;
  /** Distinct `x-trent-worker` values on `probeConnections` fresh connections (none: one process). */
  readonly workersAnswering: readonly number[];
  readonly probeConnections: number;
  /** Keys in the store at that start (the counts after the first see the keys made before them). */
  readonly keys: number;
}

export interface TargetCheck {
  readonly target: string;
  readonly goal: string;
  readonly measured: string;
  /** undefined when the scenario behind the target did not run. */
  readonly pass: boolean | undefined;
}

export interface BenchRun {
  readonly startedAt: string;
  readonly mode: 'full' | 'quick';
  readonly machine: Machine;
  readonly security: {
    readonly authentication: string;
    readonly accessKey: string;
    readonly audit: string;
  };
  readonly store: string;
  readonly plan: RunPlan;
  /** The load generator, e.g. "wrk 4.1.0, 1 thread" (absent in results written before wrk). */
  readonly loadGenerator?: string;
  readonly memory: {
    /** Idle RSS at the first (smallest) worker count, summed over its processes. */
    readonly idleRssBytes: number;
    /** Idle RSS with the large store, at the largest worker count. */
    readonly largeStoreIdleRssBytes: number;
  };
  /** Each worker count measured, ascending (absent in results written before workers existed). */
  readonly workerStarts?: readonly WorkerStart[];
  readonly largeStore: {
    readonly keys: number;
    /** The worker count of the large-store phase (absent in older results). */
    readonly workers?: number;
    readonly population: Population;
    readonly listKeys: ListKeysTiming;
    /** Absent in results written before the benchmark restarted the server. */
    readonly restart?: Restart;
  };
  readonly scenarios: readonly ScenarioResult[];
  /**
   * How the bench waited for the server after each Trent run of the spread phase (settle.ts); absent
   * in results written before it waited.
   */
  readonly settle?: SettleRule;
  readonly targets: readonly TargetCheck[];
  readonly profile?: { readonly file: string; readonly summary: string };
}
