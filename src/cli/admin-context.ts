// Opens a stopped server's data directory for the admin commands: refuses while a server holds it
// (its in-memory caches would not see the change), checks the root key, loads the principals.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CredentialAdmin } from '../authz/credentials/credential-admin.js';
import { PrincipalRegistry } from '../authz/credentials/principal-registry.js';
import type { Config } from '../config/schema.js';
import { systemClock } from '../keys/clock.js';
import { loadRootKeyFile } from '../root/key-file.js';
import { checkRootKey } from '../root/root-check.js';
import { dataDirHolder, lockDataDir } from '../store/data-dir-lock.js';
import { openSqliteDatabase } from '../store/sqlite/database.js';
import { sqlitePrincipalStore } from '../store/sqlite/principal-store.js';
import { sqliteStore } from '../store/sqlite/sqlite-store.js';

/** A refusal the admin command reports in one line, with exit code 1. */
export class AdminRefusal extends Error {}

export async function withCredentialAdmin<T>(
  config: Config,
  run: (admin: CredentialAdmin) => Promise<T>,
): Promise<T> {
  if (config.dev)
    throw new AdminRefusal('dev mode keeps nothing on disk; admin commands need --data-dir');
  const dbPath = join(config.dataDir, 'trent.db');
  if (!existsSync(dbPath))
    throw new AdminRefusal(`no Trent data in ${config.dataDir}; run \`trent serve\` once first`);
  const holder = dataDirHolder(config.dataDir);
  if (holder !== undefined) {
    throw new AdminRefusal(
      `a trent server (pid ${String(holder)}) is running on ${config.dataDir}; stop it first (it caches principals in memory)`,
    );
  }
  const lock = lockDataDir(config.dataDir);
  try {
    const root = loadRootKeyFile(join(config.dataDir, 'root.key'), { mayCreate: false });
    const db = openSqliteDatabase(dbPath);
    const store = sqliteStore(db);
    try {
      await checkRootKey(store, root);
      const principalStore = sqlitePrincipalStore(db);
      const registry = new PrincipalRegistry(config.partition, root);
      registry.load(await principalStore.loadPrincipals());
      return await run(new CredentialAdmin(principalStore, registry, root, systemClock));
    } finally {
      await store.close();
    }
  } finally {
    lock.release();
  }
}
