// The `trent` command. Each subcommand calls the same services the API uses.
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { configFields, ConfigError, loadConfig } from '../config/load.js';
import { authModeOf, workersOf } from '../config/modes.js';
import { newLogger, startTrent, StartupError } from '../main.js';
import { startCluster } from '../cluster/primary.js';
import { runAudit } from './audit.js';
import { administratorNotice } from '../authz/credentials/bootstrap.js';
import type { NewAccessKey } from '../authz/credentials/credential-admin.js';
import { ADMIN_HELP, ADMIN_RESOURCES, runAdminCommand } from './admin-commands.js';

const HELP = `Usage: trent <command> [options]

Commands:
  serve            start the KMS server
  audit            verify, query, export or prune the audit trail (trent audit help)
  help             show this help

Options for serve (each also from TRENT_<NAME> in the environment, e.g. TRENT_DATA_DIR, or a
config file; flags win over the environment, which wins over the file):
  --host HOST                      address to listen on (default 127.0.0.1)
  --port PORT                      port to listen on, 0 for any free port (default 8080)
  --data-dir DIR                   where keys are stored (default ./trent-data)
  --region REGION                  region in ARNs (default us-east-1)
  --account-id ID                  the server's default account (default 111122223333)
  --partition NAME                 aws, aws-cn or aws-us-gov, for ARNs (default aws)
  --dev                            in-memory store, nothing written to disk; enables POST /_trent/reset;
                                   serves any caller as the account root (UNSAFE: never expose it)
  --auth sigv4|none                require AWS Signature V4 (default without --dev) or not (default with --dev)
  --seed FILE.yaml                 create keys, aliases and tags at start-up (idempotent)
  --config FILE                    a YAML or JSON config file (also TRENT_CONFIG)
  --log-level LEVEL                fatal|error|warn|info|debug|trace|silent (default info)
  --body-limit-bytes N             largest request body accepted (default 1048576)
  --on-demand-rotation-limit N     RotateKeyOnDemand calls allowed per key (default 25)
  --scheduler-interval-ms N        how often rotation and deletion are checked (default 60000)
  --audit-durability MODE          async (durable within the flush interval) or sync (default async)
  --audit-flush-interval-ms N      how often queued audit records are committed (default 1000)
  --audit-queue-limit N            audit records held in memory before requests are refused (default 100000)
  --audit-retention-days N         prune audit records older than N days (default: keep all)
  --grants-per-key N               grants allowed per key (default 50000)
  --keys-per-account N             KMS keys allowed per account (default 100000)
  --workers N                      processes serving requests (default: one per core; 1 serves from
                                   this process alone; --dev always uses 1)

See docs/configuration.md, docs/audit.md and docs/authentication.md.

${ADMIN_HELP}`;

export async function runCli(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(HELP);
    return command === undefined ? 2 : 0;
  }
  if (command === 'serve') return serve(rest);
  if (command === 'audit') return runAudit(rest);
  if (ADMIN_RESOURCES.has(command)) return runAdminCommand(argv);
  process.stderr.write(`trent: unknown command '${command}'\n\n${HELP}`);
  return 2;
}

async function serve(argv: readonly string[]): Promise<number> {
  let config;
  try {
    const options: Record<string, { type: 'string' | 'boolean' }> = {
      config: { type: 'string' },
      help: { type: 'boolean' },
    };
    for (const flag of Object.keys(configFields))
      options[flag] = { type: flag === 'dev' ? 'boolean' : 'string' };
    const { values } = parseArgs({
      args: [...argv],
      options,
      strict: true,
      allowPositionals: false,
    });
    if (values.help === true) {
      process.stdout.write(HELP);
      return 0;
    }
    const flags: Record<string, unknown> = {};
    for (const [flag, field] of Object.entries(configFields)) {
      const v = values[flag];
      if (v !== undefined) flags[field] = v;
    }
    config = loadConfig({
      flags,
      ...(typeof values.config === 'string' ? { configFile: values.config } : {}),
    });
  } catch (err) {
    if (
      err instanceof ConfigError ||
      (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      process.stderr.write(`trent: ${(err as Error).message} (see trent --help)\n`);
      return 2;
    }
    throw err;
  }
  // A worker of the cluster started below runs src/cluster/worker-main.ts instead (bin/trent.js).
  const workers = workersOf(config, availableParallelism());
  let trent;
  try {
    const onAdministratorCreated = (key: NewAccessKey, url: string) => {
      process.stdout.write(administratorNotice(key, url, config.region));
    };
    trent =
      workers > 1
        ? await startCluster(config, { workers, logger: newLogger(config), onAdministratorCreated })
        : await startTrent(config, { onAdministratorCreated });
  } catch (err) {
    if (err instanceof StartupError) {
      process.stderr.write(`trent: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  const running = trent;
  // The signal handlers are in place before the listening line is printed, so that a supervisor that
  // reacts to that line can stop the server at once.
  const stopped = new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.stderr.write(`trent: ${signal} received, finishing in-flight requests\n`);
      running.close().then(resolve, (err: unknown) => {
        process.stderr.write(`trent: error during shutdown: ${(err as Error).message}\n`);
        resolve();
      });
    };
    process.once('SIGTERM', () => {
      stop('SIGTERM');
    });
    process.once('SIGINT', () => {
      stop('SIGINT');
    });
  });
  const where = config.dev
    ? 'dev mode: in-memory store, nothing is written to disk'
    : `data in ${config.dataDir}, ${String(workers)} worker${workers === 1 ? '' : 's'}`;
  if (authModeOf(config) === 'none')
    process.stderr.write(
      'trent: WARNING: authentication is off; any request is served as the account root. Never expose this server.\n',
    );
  process.stderr.write(`trent: listening on ${trent.url} (${where})\n`);
  await stopped;
  return 0;
}
