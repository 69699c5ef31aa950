// Builds the Config from, in rising precedence: a config file (JSON or YAML), TRENT_* environment
// variables, and command-line flags. Any bad value is one clear error naming its source.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { configSchema, type Config } from './schema.js';

export class ConfigError extends Error {}

/** Flag name → config field. Every field can also come from TRENT_<UPPER_SNAKE>. */
export const configFields = {
  host: 'host',
  port: 'port',
  'data-dir': 'dataDir',
  region: 'region',
  'account-id': 'accountId',
  partition: 'partition',
  dev: 'dev',
  auth: 'auth',
  seed: 'seed',
  'log-level': 'logLevel',
  'body-limit-bytes': 'bodyLimitBytes',
  'grants-per-key': 'grantsPerKey',
  'keys-per-account': 'keysPerAccount',
  'on-demand-rotation-limit': 'onDemandRotationLimit',
  'scheduler-interval-ms': 'schedulerIntervalMs',
  'audit-durability': 'auditDurability',
  'audit-flush-interval-ms': 'auditFlushIntervalMs',
  'audit-queue-limit': 'auditQueueLimit',
  'audit-retention-days': 'auditRetentionDays',
  workers: 'workers',
} as const satisfies Record<string, string>;

type Field = (typeof configFields)[keyof typeof configFields];

function envName(field: string): string {
  return 'TRENT_' + field.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();
}

function fromEnv(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of Object.values(configFields)) {
    const v = env[envName(field)];
    if (v === undefined || v === '') continue;
    out[field] = field === 'dev' ? v === '1' || v.toLowerCase() === 'true' : v;
  }
  return out;
}

function fromFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config file ${path}: ${(err as Error).message}`);
  }
  const parsed: unknown = parseYaml(text);
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed))
    throw new ConfigError(`config file ${path} must hold a mapping`);
  // Keys may be spelled like the fields (dataDir) or like the flags (data-dir).
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    const field = (configFields as Record<string, string>)[key];
    out[field ?? key] = value;
  }
  return out;
}

export interface ConfigSources {
  readonly flags: Partial<Record<Field, unknown>>;
  readonly env?: NodeJS.ProcessEnv;
  readonly configFile?: string;
}

export function loadConfig(sources: ConfigSources): Config {
  const env = sources.env ?? process.env;
  const file = sources.configFile ?? env.TRENT_CONFIG;
  const fileValues = file ? fromFile(file) : {};
  const envValues = fromEnv(env);
  const merged = { ...fileValues, ...envValues, ...sources.flags };
  const result = configSchema.safeParse(merged);
  if (!result.success) {
    const first = result.error.issues[0];
    const where = first?.path.join('.') ?? '';
    const field = String(first?.path[0] ?? '');
    // Name where the bad value came from, so that it can be found.
    const source =
      field in sources.flags
        ? ` (from --${flagOf(field)})`
        : field in envValues
          ? ` (from ${envName(field)})`
          : file !== undefined && field in fileValues
            ? ` (from config file ${file})`
            : '';
    throw new ConfigError(
      `invalid configuration: ${where ? `${where}${source}: ` : ''}${first?.message ?? 'unknown error'}`,
    );
  }
  return Object.freeze(result.data);
}

function flagOf(field: string): string {
  for (const [flag, f] of Object.entries(configFields)) if (f === field) return flag;
  return field;
}
