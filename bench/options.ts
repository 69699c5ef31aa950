// The benchmark's command line: full or --quick plans, --profile, the large-store size, the server's
// worker counts, docs update.
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import type { RunPlan } from './runner.js';

export interface RenderOptions {
  /** A results JSON file whose report replaces the table in docs/benchmarks.md. */
  readonly render: string;
}

export interface BenchOptions {
  readonly mode: 'full' | 'quick';
  readonly plan: RunPlan;
  /** Connection counts for the large-store phase. */
  readonly largeStoreConnections: readonly number[];
  /**
   * Whether each Trent run of the large-store phase is followed by the wait until the server is idle
   * (settle.ts). A quick run does not wait: its figures check the harness, not Trent.
   */
  readonly settleLargeStore: boolean;
  readonly profile: boolean;
  readonly smallStoreKeys: number;
  readonly largeStoreKeys: number;
  readonly ciphertextSample: number;
  readonly updateDocs: boolean;
  readonly keepData: boolean;
  /** Scenario ids to run; undefined runs them all. */
  readonly only: ReadonlySet<string> | undefined;
  /**
   * `trent serve --workers` values, distinct and ascending: the hot-path scenarios run at each, the
   * large store, the durability check and the targets at the largest.
   */
  readonly workers: readonly number[];
  /** undefined: wrk when it is on PATH, autocannon otherwise. */
  readonly loadGenerator: 'wrk' | 'autocannon' | undefined;
  /** wrk's threads (at most one per connection). */
  readonly wrkThreads: number;
}

export const FULL_PLAN: RunPlan = {
  connections: [32, 1],
  rounds: 3,
  durationSeconds: 5,
  warmupSeconds: 1,
};
/**
 * A check that everything runs, in under a minute with the build: each of its 46 cells is one short
 * run of Trent and one of the baseline, with no warm-up (starting wrk costs about as much as a run).
 */
export const QUICK_PLAN: RunPlan = {
  connections: [32, 1],
  rounds: 1,
  durationSeconds: 0.1,
  warmupSeconds: 0,
};

/** AWS's default quota of KMS keys per account and region, and Trent's. */
export const MAX_KEYS = 100_000;

export const USAGE = `Usage: npm run bench -- [options]
  --quick          a short run (under a minute): fewer rounds, shorter runs, 1,000 keys
  --profile        start the server with --cpu-prof and summarise the profile
  --keys N         keys in the large-store phase (default 100000, quick 1000)
  --rounds N       rounds per scenario and connection count
  --duration S     seconds per run
  --docs           update docs/benchmarks.md (default for full runs)
  --no-docs        do not update docs/benchmarks.md
  --keep-data      keep the temporary data dir
  --render FILE    put the report of an earlier run (bench-results/*.json) into the docs and exit
  --only IDS       run only these scenario ids (comma-separated, e.g. encrypt,decrypt); the large
                   store is filled only when a chosen scenario runs there
  --workers LIST   server worker counts to measure (comma-separated, e.g. 1,4; default 1 and the
                   number of cores); the large store runs at the largest
  --load-generator wrk|autocannon
                   the load generator (default wrk when it is on PATH, else autocannon)
  --wrk-threads N  wrk's threads (default 1)
`;

function positive(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

/** `--workers 1,4` as distinct worker counts, ascending; the default is 1 and the number of cores. */
export function parseWorkers(text: string | undefined, cores: number): number[] {
  const listed =
    text === undefined
      ? [1, cores]
      : text
          .split(',')
          .map((w) => w.trim())
          .filter((w) => w !== '')
          .map((w) => {
            const n = Number(w);
            if (!Number.isInteger(n) || n < 1)
              throw new Error(`--workers takes whole numbers of at least 1, not ${w}`);
            return n;
          });
  if (listed.length === 0) throw new Error('--workers needs at least one worker count');
  return [...new Set(listed)].sort((a, b) => a - b);
}

export function parseBenchArgs(
  argv: readonly string[],
  cores: number = availableParallelism(),
): BenchOptions | RenderOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean' },
      profile: { type: 'boolean' },
      keys: { type: 'string' },
      rounds: { type: 'string' },
      duration: { type: 'string' },
      docs: { type: 'boolean' },
      'no-docs': { type: 'boolean' },
      'keep-data': { type: 'boolean' },
      only: { type: 'string' },
      workers: { type: 'string' },
      render: { type: 'string' },
      'load-generator': { type: 'string' },
      'wrk-threads': { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help === true) return 'help';
  if (values.render !== undefined) return { render: values.render };
  const quick = values.quick === true;
  const generator = values['load-generator'];
  if (generator !== undefined && generator !== 'wrk' && generator !== 'autocannon')
    throw new Error(`--load-generator is wrk or autocannon, not ${generator}`);
  const base = quick ? QUICK_PLAN : FULL_PLAN;
  const largeStoreKeys = Math.min(
    MAX_KEYS,
    Math.floor(positive('keys', values.keys, quick ? 1000 : MAX_KEYS)),
  );
  return {
    mode: quick ? 'quick' : 'full',
    plan: {
      ...base,
      rounds: Math.floor(positive('rounds', values.rounds, base.rounds)),
      durationSeconds: positive('duration', values.duration, base.durationSeconds),
    },
    largeStoreConnections: quick ? [32] : base.connections,
    settleLargeStore: !quick,
    profile: values.profile === true,
    smallStoreKeys: 10,
    largeStoreKeys,
    ciphertextSample: quick ? 500 : 10_000,
    updateDocs: values['no-docs'] === true ? false : values.docs === true || !quick,
    keepData: values['keep-data'] === true,
    only:
      values.only === undefined
        ? undefined
        : new Set(
            values.only
              .split(',')
              .map((id) => id.trim())
              .filter((id) => id !== ''),
          ),
    workers: parseWorkers(values.workers, cores),
    loadGenerator: generator,
    wrkThreads: Math.floor(positive('wrk-threads', values['wrk-threads'], 1)),
  };
}
