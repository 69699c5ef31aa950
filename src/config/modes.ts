// What the configuration decides beyond its fields, apart from the schema: a worker process takes its
// configuration as validated by the primary and never loads the validator.
import type { Config } from './schema.js';

/** How many worker processes serve: `workers` if set, else one per core; dev mode (an in-memory store
 *  that processes cannot share) always serves from one process. */
export function workersOf(config: Pick<Config, 'workers' | 'dev'>, cores: number): number {
  if (config.dev) return 1;
  return config.workers ?? Math.max(1, cores);
}

/** Whether requests must be SigV4-signed: `auth` if set, else none in dev mode and sigv4 otherwise. */
export function authModeOf(config: Pick<Config, 'auth' | 'dev'>): 'sigv4' | 'none' {
  return config.auth ?? (config.dev ? 'none' : 'sigv4');
}
