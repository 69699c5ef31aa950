// Composition root: load the root key, open the store, warm the keyring, build the server, listen.
// The only place that wires modules together.
import { mkdirSync, accessSync, constants, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { allowAll, type Authorizer } from './authz/authorizer.js';
import { delegatingGrantChecker } from './authz/grants/delegating-grant-checker.js';
import { GrantAuthority } from './authz/grants/grant-checker.js';
import { GrantRegistry } from './authz/grants/grant-registry.js';
import { withGrantTokenCheck } from './authz/grants/grant-token-gate.js';
import { identityPolicyCheck } from './authz/grants/identity-policy-check.js';
import { createPolicyAuthorizer } from './authz/policy-authorizer.js';
import { authModeOf } from './config/modes.js';
import type { Config } from './config/schema.js';
import { DAY_MS, systemClock, type Clock } from './keys/clock.js';
import type { Keyring } from './keys/keyring.js';
import type { Scheduler } from './keys/scheduler.js';
import { USAGE_CHECK_INTERVAL_MS } from './keys/usage-schedule.js';
import { generateRootKey, type RootKey } from './root/root-key.js';
import { loadRootKeyFile, RootKeyError } from './root/key-file.js';
import { openSqliteDatabase, type SqliteDatabase } from './store/sqlite/database.js';
import { sqliteStore } from './store/sqlite/sqlite-store.js';
import { sqliteGrantStore } from './store/sqlite/grant-store.js';
import type { Store } from './store/store.js';
import type { Services } from './api/services.js';
import { checkRootKey } from './root/root-check.js';
import type { SeedFile } from './keys/seed-file.js';
import { anchorOf, AuditLog } from './audit/audit-log.js';
import { openAuditWriter, proxyBatchWindowMs, type AuditWriter } from './audit/audit-writer.js';
import { pruneAuditTrail } from './audit/retention.js';
import { serviceEvent } from './audit/service-event.js';
import { sqliteAuditStore } from './store/sqlite/audit-store.js';
import type { AuditStore } from './store/audit-store.js';
import { PrincipalRegistry } from './authz/credentials/principal-registry.js';
import { CredentialAdmin, type NewAccessKey } from './authz/credentials/credential-admin.js';
import { administratorNotice, createAdministrator } from './authz/credentials/bootstrap.js';
import { sigv4Authenticator } from './authz/credentials/sigv4-authenticator.js';
import { sqlitePrincipalStore } from './store/sqlite/principal-store.js';
import { lockDataDir, type DataDirLock } from './store/data-dir-lock.js';
import type { ProcessCoordinator } from './cluster/process-coordinator.js';

export interface Trent {
  readonly url: string;
  readonly services: Services;
  readonly server: FastifyInstance;
  /** Automatic rotation and deletion; `runDue()` runs them now. */
  readonly scheduler: Scheduler;
  readonly audit: AuditWriter;
  readonly auditStore: AuditStore;
  /** Accounts, principals and credentials of this server (what the `trent` admin commands change). */
  readonly credentials: CredentialAdmin;
  close(): Promise<void>;
}

/** How a worker process of `trent serve --workers N` differs from a server on its own. */
export interface WorkerRole {
  /** 1…N; shown in the x-trent-worker response header. */
  readonly workerId: number;
  /** The change lock shared with the other workers, through the primary. */
  readonly coordinator: ProcessCoordinator;
  /** The proxy to the primary's audit writer. */
  readonly audit: AuditWriter;
  /** Only one worker runs scheduled rotation and deletion. */
  readonly runScheduler: boolean;
  /** The key store as this worker uses it: its own connection's reads, the primary's writes. */
  readonly store: (local: Store) => Store;
}

export interface StartOptions {
  /** Runs as one worker of several: the primary prepared the data directory and writes the audit
   *  trail; this process neither locks the directory, nor seeds, nor creates the administrator. */
  readonly worker?: WorkerRole;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Receives the administrator's access key made on first start (default: printed to stderr once). */
  readonly onAdministratorCreated?: (key: NewAccessKey, url: string) => void;
}

export class StartupError extends Error {}

const STORE_FILE = 'trent.db';

interface Opened {
  readonly db: SqliteDatabase;
  readonly store: Store;
  readonly root: RootKey;
  readonly lock?: DataDirLock;
}

function openStore(config: Config, asWorker = false): Opened {
  if (config.dev) {
    const db = openSqliteDatabase(':memory:');
    return { db, store: sqliteStore(db), root: generateRootKey() };
  }
  try {
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    accessSync(config.dataDir, constants.W_OK);
  } catch (err) {
    throw new StartupError(
      `data directory ${config.dataDir} is not writable: ${(err as Error).message}`,
    );
  }
  const dbPath = join(config.dataDir, STORE_FILE);
  const storeExisted = existsSync(dbPath);
  let lock: DataDirLock | undefined;
  try {
    // A worker's primary holds the directory.
    lock = asWorker ? undefined : lockDataDir(config.dataDir);
  } catch (err) {
    throw new StartupError((err as Error).message);
  }
  let root: RootKey;
  try {
    root = loadRootKeyFile(join(config.dataDir, 'root.key'), {
      mayCreate: !storeExisted && !asWorker,
    });
  } catch (err) {
    lock?.release();
    if (err instanceof RootKeyError) throw new StartupError(err.message);
    throw err;
  }
  const db = openSqliteDatabase(dbPath);
  return { db, store: sqliteStore(db), root, ...(lock ? { lock } : {}) };
}

/** The data directory made ready to serve: store, root key, keyring, seed, accounts and principals. */
interface Prepared extends Opened {
  /** Undefined for a cluster's primary, which serves no request and keeps no key cache. */
  readonly keyring: Keyring | undefined;
  readonly seed: SeedFile | undefined;
  readonly registry: PrincipalRegistry;
  readonly credentials: CredentialAdmin;
  /** The administrator's key when this start created the account (shown once). */
  readonly newAdministrator: NewAccessKey | undefined;
}

async function prepare(
  config: Config,
  logger: Logger,
  clock: Clock,
  worker: WorkerRole | undefined,
  role: 'serve' | 'primary' = 'serve',
): Promise<Prepared> {
  const local = openStore(config, worker !== undefined);
  const opened = worker ? { ...local, store: worker.store(local.store) } : local;
  const { db, store, root, lock } = opened;
  try {
    await checkRootKey(store, root);
  } catch (err) {
    await store.close();
    lock?.release();
    throw new StartupError((err as Error).message);
  }
  // A cluster's primary loads the keys only to apply a seed, and drops them after: with many keys the
  // cache is hundreds of megabytes that the workers hold already.
  const needsKeyring = role === 'serve' || (config.seed !== undefined && !worker);
  // Loaded only where needed: a primary without a seed never loads the key cache and its crypto.
  const keyring = needsKeyring
    ? await (
        await import('./keys/keyring.js')
      ).Keyring.open(store, root, config.partition, worker?.coordinator)
    : undefined;
  let seed: SeedFile | undefined;
  // The primary applies the seed; a worker neither applies it nor resets (dev mode has no workers).
  if (config.seed !== undefined && !worker && keyring) {
    const [{ loadSeedFile, SeedError }, { applySeed }] = await Promise.all([
      import('./keys/seed-file.js'),
      import('./keys/seed.js'),
    ]);
    try {
      seed = loadSeedFile(config.seed);
      const seeded = await applySeed(seedDepsOf(config, keyring, clock), seed);
      logger.info(seeded, 'seed applied');
    } catch (err) {
      await store.close();
      lock?.release();
      if (err instanceof SeedError) throw new StartupError(err.message);
      throw err;
    }
  }
  const principalStore = sqlitePrincipalStore(db);
  const registry = new PrincipalRegistry(config.partition, root);
  registry.load(await principalStore.loadPrincipals());
  const credentials = new CredentialAdmin(principalStore, registry, root, clock);
  let newAdministrator: NewAccessKey | undefined;
  if (!worker) {
    const isFirstStart = await credentials.createAccount(config.accountId);
    await credentials.pruneExpiredSessions();
    newAdministrator =
      isFirstStart && authModeOf(config) === 'sigv4'
        ? await createAdministrator(credentials, config.accountId)
        : undefined;
  }
  return {
    ...opened,
    keyring: role === 'primary' ? undefined : keyring,
    seed,
    registry,
    credentials,
    newAdministrator,
  };
}

function seedDepsOf(config: Config, keyring: Keyring, clock: Clock) {
  return { keyring, clock, accountId: config.accountId, region: config.region };
}

/** The primary of `trent serve --workers N`: the data directory prepared (locked, migrated, seeded,
 *  administrator made) and the one audit writer, whose store shares the database. */
export async function preparePrimary(
  config: Config,
  options: { readonly logger: Logger; readonly clock?: Clock },
): Promise<{
  readonly audit: AuditLog;
  /** The key store, which commits the workers' writes. */
  readonly store: Store;
  readonly newAdministrator: NewAccessKey | undefined;
  /** Stops retention and the anchor log, closes the store and unlocks the directory (close the
   *  audit log first). */
  release(): Promise<void>;
}> {
  const clock = options.clock ?? systemClock;
  const { logger } = options;
  const prepared = await prepare(config, logger, clock, undefined, 'primary');
  const auditStore = sqliteAuditStore(prepared.db);
  const audit = await AuditLog.open({
    store: auditStore,
    durability: config.auditDurability,
    // The workers' proxies gather records for up to this window before sending them.
    flushIntervalMs:
      config.auditFlushIntervalMs -
      proxyBatchWindowMs(config.auditDurability, config.auditFlushIntervalMs),
    queueLimit: config.auditQueueLimit,
    logger,
  });
  const retentionTimer = startRetention(config, auditStore, clock, logger);
  const anchorTimer = startAnchorLog(audit, logger);
  return {
    audit,
    store: prepared.store,
    newAdministrator: prepared.newAdministrator,
    async release() {
      clearInterval(retentionTimer);
      clearInterval(anchorTimer);
      await prepared.store.close();
      prepared.lock?.release();
    },
  };
}

/** The chain head goes to the log every hour: log storage elsewhere then anchors the trail. */
function startAnchorLog(audit: AuditWriter, logger: Logger): NodeJS.Timeout {
  const timer = setInterval(() => {
    logger.info({ auditAnchor: anchorOf(audit.head) }, 'audit chain head');
  }, ANCHOR_LOG_MS);
  timer.unref();
  return timer;
}

export async function startTrent(config: Config, options: StartOptions = {}): Promise<Trent> {
  const logger = options.logger ?? newLogger(config);
  const clock = options.clock ?? systemClock;
  const worker = options.worker;
  const prepared = await prepare(config, logger, clock, worker);
  const { db, store, lock, seed, registry, credentials, newAdministrator } = prepared;
  const keyring = prepared.keyring;
  if (!keyring) throw new Error('a serving process has a keyring');
  const seedDeps = seedDepsOf(config, keyring, clock);
  const authMode = authModeOf(config);
  const grants = await GrantRegistry.open({
    store: sqliteGrantStore(db),
    keyExists: (keyId) => keyring.get(keyId) !== undefined,
    grantsPerKey: config.grantsPerKey,
    ...(worker ? { coordinator: worker.coordinator } : {}),
  });
  // Changes made by other workers reach this one's caches before their authors answer.
  await worker?.coordinator.setApplier(async (changes) => {
    if (changes.everything) {
      await keyring.reload();
      await grants.reload();
      return;
    }
    await keyring.refresh(changes.keys);
    await grants.refreshKeys(changes.grantKeys);
  });
  const grantAuthority = new GrantAuthority(grants);
  // Without authentication every caller is the account root and may do anything; with SigV4, key
  // policies, identity policies and grants are enforced.
  const authorizer: Authorizer =
    authMode === 'sigv4'
      ? createPolicyAuthorizer({
          directory: registry,
          grants: delegatingGrantChecker(grantAuthority, (request) =>
            identityPolicyCheck(authorizer, request),
          ),
          partition: config.partition,
          now: () => clock.now(),
        })
      : allowAll;
  const services: Services = {
    keyring,
    authorizer: withGrantTokenCheck(authorizer, grantAuthority),
    grants,
    clock,
    config,
    region: config.region,
  };
  const auditStore = sqliteAuditStore(db);
  // With a database file, hashing and commits run in a worker thread with its own connection; a
  // worker of several hands its records to the primary instead.
  const audit: AuditWriter =
    worker?.audit ??
    (await openAuditWriter({
      databasePath: config.dev ? undefined : join(config.dataDir, STORE_FILE),
      store: auditStore,
      durability: config.auditDurability,
      flushIntervalMs: config.auditFlushIntervalMs,
      queueLimit: config.auditQueueLimit,
      logger,
    }));
  // Retention and the anchor log belong to whoever writes the trail.
  const retentionTimer = worker ? undefined : startRetention(config, auditStore, clock, logger);
  const anchorTimer = worker ? undefined : startAnchorLog(audit, logger);
  let open = true;
  // Loaded here, not at the top: a cluster's primary serves no HTTP and never loads the server (its
  // HTTP stack, operations and request model are about 30 MB of a process's memory).
  const { buildServer } = await import('./api/server.js');
  const server = buildServer({
    services,
    logger,
    bodyLimitBytes: config.bodyLimitBytes,
    dev: config.dev,
    ...(authMode === 'sigv4'
      ? { authenticator: sigv4Authenticator(registry, { region: config.region, clock }) }
      : {}),
    // A reset brings a seeded server back to its seeded state. The unauthenticated wipe exists
    // only where anyone is the root anyway.
    ...(authMode === 'none'
      ? {
          reset: async () => {
            await keyring.exclusive(async () => {
              await keyring.wipe();
              await grants.reload();
            });
            if (seed) await (await import('./keys/seed.js')).applySeed(seedDeps, seed);
          },
        }
      : {}),
    isHealthy: () => open && audit.isAvailable,
    audit,
    ...(worker ? { workerId: worker.workerId } : {}),
  });
  const usageTimer = setInterval(() => {
    keyring.checkUsage().catch((err: unknown) => {
      logger.error({ err }, 'could not record key usage');
    });
  }, USAGE_CHECK_INTERVAL_MS);
  usageTimer.unref();
  const { Scheduler } = await import('./keys/scheduler.js');
  const scheduler = new Scheduler({
    keyring,
    clock,
    onError: (err) => {
      logger.error({ err }, 'scheduled rotation or deletion failed');
    },
    onKeyChange: ({ eventName, key, at }) => {
      const event = serviceEvent({
        eventName,
        keyArn: key.arn,
        keyId: key.row.keyId,
        accountId: key.row.accountId,
        region: key.row.region,
        at,
      });
      audit.record(event).catch(() => {
        logger.error(
          { eventName, keyId: key.row.keyId },
          'audit record of a scheduled change lost',
        );
      });
    },
  });
  try {
    await server.listen({ host: config.host, port: config.port });
  } catch (err) {
    clearInterval(usageTimer);
    clearInterval(retentionTimer);
    clearInterval(anchorTimer);
    await audit.close();
    await store.close();
    lock?.release();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new StartupError(`port ${String(config.port)} on ${config.host} is already in use`);
    throw new StartupError(
      `cannot listen on ${config.host}:${String(config.port)}: ${(err as Error).message}`,
    );
  }
  if (!worker || worker.runScheduler) scheduler.start(config.schedulerIntervalMs);
  // Serving already: keys not yet warmed are unwrapped on first use, as always.
  void keyring
    .warmSymmetricMaterial(() => !open)
    .then((warmed) => {
      if (warmed > 0) logger.debug({ warmed }, 'symmetric key material unwrapped ahead of use');
    })
    .catch((err: unknown) => {
      logger.warn({ err }, 'warming key material failed; keys are unwrapped on first use');
    });
  const address = server.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${String(address.port)}`;
  if (authMode === 'none' && !config.dev)
    logger.warn('authentication is off (auth: none): every caller is the account root');
  if (newAdministrator !== undefined) {
    if (options.onAdministratorCreated) options.onAdministratorCreated(newAdministrator, url);
    else process.stderr.write(administratorNotice(newAdministrator, url, config.region));
  }
  return {
    url,
    services,
    server,
    scheduler,
    audit,
    auditStore,
    credentials,
    async close() {
      if (!open) return;
      open = false;
      clearInterval(usageTimer);
      clearInterval(retentionTimer);
      clearInterval(anchorTimer);
      await server.close();
      await scheduler.stop();
      await audit.close();
      await keyring.exclusive(async () => {
        await keyring.flushUsage();
        await store.close();
      });
      lock?.release();
    },
  };
}

/** The server's log (JSON lines on stdout); request payloads never reach it. */
export function newLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({ level: config.logLevel, redact: ['*.Plaintext', '*.plaintext'] });
}

const RETENTION_RUN_MS = 60 * 60 * 1000;
const ANCHOR_LOG_MS = 60 * 60 * 1000;

/** With a retention period set, prunes the audit trail at start-up and every hour. */
function startRetention(
  config: Config,
  auditStore: AuditStore,
  clock: Clock,
  logger: Logger,
): NodeJS.Timeout | undefined {
  const days = config.auditRetentionDays;
  if (days === undefined) return undefined;
  const run = () => {
    const now = clock.now();
    pruneAuditTrail(auditStore, now - days * DAY_MS, now).then(
      (r) => {
        if (r.removed > 0)
          logger.info({ removed: r.removed }, 'audit records past retention pruned');
      },
      (err: unknown) => {
        logger.error({ err }, 'could not prune the audit trail');
      },
    );
  };
  run();
  const timer = setInterval(run, RETENTION_RUN_MS);
  timer.unref();
  return timer;
}
