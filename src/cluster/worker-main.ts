// The entry of a worker process of `trent serve --workers N` (bin/trent.js runs it in a cluster
// worker): it serves with the configuration its primary validated, handed over in its environment, so
// it loads neither the CLI nor the configuration's validator (zod costs each process about 14 MiB).
import type { Config } from '../config/schema.js';
import { newLogger } from '../main.js';
import { WORKER_CONFIG_ENV, WORKER_ID_ENV, type WorkerConfig } from './messages.js';
import { runWorker } from './worker.js';

/** The worker's id and configuration from its environment; undefined when either is missing. */
export function workerSettings(
  env: NodeJS.ProcessEnv,
): { readonly workerId: number; readonly config: Config; readonly workers: number } | undefined {
  const id = Number(env[WORKER_ID_ENV]);
  const text = env[WORKER_CONFIG_ENV];
  if (!Number.isInteger(id) || id < 1 || text === undefined) return undefined;
  let parsed: Partial<WorkerConfig>;
  try {
    parsed = JSON.parse(text) as Partial<WorkerConfig>;
  } catch {
    return undefined;
  }
  const { config, workers } = parsed;
  if (typeof config !== 'object' || config === null || !Number.isInteger(workers)) return undefined;
  return { workerId: id, config: Object.freeze(config), workers: workers as number };
}

/** Serves until the primary stops this worker; never resolves. */
export async function runWorkerProcess(): Promise<never> {
  const settings = workerSettings(process.env);
  if (settings === undefined) {
    // Only a primary forks workers, and it always sets both.
    process.stderr.write(
      `trent: a worker started without ${WORKER_ID_ENV} and ${WORKER_CONFIG_ENV}\n`,
    );
    process.exit(1);
  }
  const { config, workerId, workers } = settings;
  await runWorker(config, { workerId, workers, logger: newLogger(config) });
  return new Promise<never>(() => undefined);
}
