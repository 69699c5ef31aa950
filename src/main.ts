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
import { authModeOf, type Config } from './config/schema.js';
import { DAY_MS, systemClock, type Clock } from './keys/clock.js';
import { Keyring } from './keys/keyring.js';
import { Scheduler } from './keys/scheduler.js';
import { generateRootKey, type RootKey } from './root/root-key.js';
import { loadRootKeyFile, RootKeyError } from './root/key-file.js';
import { openSqliteDatabase, type SqliteDatabase } from './store/sqlite/database.js';
import { sqliteStore } from './store/sqlite/sqlite-store.js';
import { sqliteGrantStore } from './store/sqlite/grant-store.js';
import type { Store } from './store/store.js';
import { buildServer } from './api/server.js';
import type { Services } from './api/services.js';
import { checkRootKey } from './root/root-check.js';
import { applySeed } from './keys/seed.js';
import { loadSeedFile, SeedError, type SeedFile } from './keys/seed-file.js';
import { anchorOf } from './audit/audit-log.js';
import { openAuditWriter, type AuditWriter } from './audit/audit-writer.js';
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

export interface StartOptions {
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

function openStore(config: Config): Opened {
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
  let lock: DataDirLock;
  try {
    lock = lockDataDir(config.dataDir);
  } catch (err) {
    throw new StartupError((err as Error).message);
  }
  let root: RootKey;
  try {
    root = loadRootKeyFile(join(config.dataDir, 'root.key'), { mayCreate: !storeExisted });
  } catch (err) {
    lock.release();
    if (err instanceof RootKeyError) throw new StartupError(err.message);
    throw err;
  }
  const db = openSqliteDatabase(dbPath);
  return { db, store: sqliteStore(db), root, lock };
}

export async function startTrent(config: Config, options: StartOptions = {}): Promise<Trent> {
  const logger =
    options.logger ?? pino({ level: config.logLevel, redact: ['*.Plaintext', '*.plaintext'] });
  const clock = options.clock ?? systemClock;
  const { db, store, root, lock } = openStore(config);
  try {
    await checkRootKey(store, root);
  } catch (err) {
    await store.close();
    lock?.release();
    throw new StartupError((err as Error).message);
  }
  const keyring = await Keyring.open(store, root, config.partition);
  const seedDeps = { keyring, clock, accountId: config.accountId, region: config.region };
  let seed: SeedFile | undefined;
  if (config.seed !== undefined) {
    try {
      seed = loadSeedFile(config.seed);
      const seeded = await applySeed(seedDeps, seed);
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
  const isFirstStart = await credentials.createAccount(config.accountId);
  await credentials.pruneExpiredSessions();
  const authMode = authModeOf(config);
  const newAdministrator =
    isFirstStart && authMode === 'sigv4'
      ? await createAdministrator(credentials, config.accountId)
      : undefined;
  const grants = await GrantRegistry.open({
    store: sqliteGrantStore(db),
    keyExists: (keyId) => keyring.get(keyId) !== undefined,
    grantsPerKey: config.grantsPerKey,
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
  // With a database file, hashing and commits run in a worker thread with its own connection.
  const audit = await openAuditWriter({
    databasePath: config.dev ? undefined : join(config.dataDir, STORE_FILE),
    store: auditStore,
    durability: config.auditDurability,
    flushIntervalMs: config.auditFlushIntervalMs,
    queueLimit: config.auditQueueLimit,
    logger,
  });
  const retentionTimer = startRetention(config, auditStore, clock, logger);
  // The chain head goes to the log every hour: log storage elsewhere then anchors the trail.
  const anchorTimer = setInterval(() => {
    logger.info({ auditAnchor: anchorOf(audit.head) }, 'audit chain head');
  }, ANCHOR_LOG_MS);
  anchorTimer.unref();
  let open = true;
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
            if (seed) await applySeed(seedDeps, seed);
          },
        }
      : {}),
    isHealthy: () => open && audit.isAvailable,
    audit,
  });
  const usageTimer = setInterval(() => {
    keyring.flushUsage().catch((err: unknown) => {
      logger.error({ err }, 'could not record key usage');
    });
  }, 1000);
  usageTimer.unref();
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
  scheduler.start(config.schedulerIntervalMs);
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
