// The embedded SQLite store (WAL mode, synchronous=FULL so an acknowledged write survives a crash).
// better-sqlite3 is synchronous; the Store interface stays async so a networked driver fits.
import type { SqliteDatabase } from './database.js';
import { KeyQuotaExceededError } from '../store.js';
import type {
  AliasRow,
  KeyRow,
  KeyUsageRow,
  MaterialRow,
  Store,
  StoreSnapshot,
  StoreWrite,
  TagRow,
} from '../store.js';

interface KeyDbRow {
  key_id: string;
  account_id: string;
  region: string;
  created_at: number;
  description: string;
  key_spec: string;
  key_usage: string;
  origin: string;
  state: KeyRow['state'];
  policy: string;
  deletion_date: number | null;
  pending_window_in_days: number | null;
  rotation_enabled: number;
  rotation_period_in_days: number | null;
  next_rotation_at: number | null;
  current_version: string;
  on_demand_rotations: number;
}

interface MaterialDbRow {
  key_id: string;
  version: string;
  key_material_id: string;
  wrapped: Buffer;
  created_at: number;
  rotation_type: MaterialRow['rotationType'];
}

/** Distinct texts pooled per read, past which texts are left as read. */
const MAX_POOLED = 1024;

/**
 * One copy of each repeated text within one read: every row brings its own copy of its account,
 * region, key spec, state and policy, though a store of 100,000 keys holds a handful of each (the
 * default policy is the same 269 characters for all of an account's keys). Lives as long as the read.
 */
class TextPool {
  readonly #texts = new Map<string, string>();

  share<T extends string>(text: T): T {
    const pooled = this.#texts.get(text);
    if (pooled !== undefined) return pooled as T;
    if (this.#texts.size < MAX_POOLED) this.#texts.set(text, text);
    return text;
  }
}

function keyFromDb(r: KeyDbRow, texts: TextPool): KeyRow {
  return {
    keyId: r.key_id,
    accountId: texts.share(r.account_id),
    region: texts.share(r.region),
    createdAt: r.created_at,
    description: texts.share(r.description),
    keySpec: texts.share(r.key_spec),
    keyUsage: texts.share(r.key_usage),
    origin: texts.share(r.origin),
    state: texts.share(r.state),
    policy: texts.share(r.policy),
    deletionDate: r.deletion_date,
    pendingWindowInDays: r.pending_window_in_days,
    rotationEnabled: r.rotation_enabled === 1,
    rotationPeriodInDays: r.rotation_period_in_days,
    nextRotationAt: r.next_rotation_at,
    currentVersion: r.current_version,
    onDemandRotations: r.on_demand_rotations,
  };
}

/**
 * Usage rows per transaction. Tens of thousands of keys' last uses in one transaction held the thread
 * (the serving thread, in one process) for 250–370 ms on a slow machine; sorted by key and written a
 * range of keys at a time, each transaction rewrites pages of its own range only, the thread serves
 * between ranges (the longest hold 70–120 ms, the sort included), and the CPU per row fell by a
 * further fifth to third (docs/benchmarks.md).
 */
export const USAGE_ROWS_PER_TRANSACTION = 4000;

function byKeyId(a: KeyUsageRow, b: KeyUsageRow): number {
  return a.keyId < b.keyId ? -1 : a.keyId > b.keyId ? 1 : 0;
}

/** The key store over an open database; closing it closes the database. */
export function sqliteStore(db: SqliteDatabase): Store {
  const putKey =
    db.prepare(`INSERT INTO keys VALUES (@keyId, @accountId, @region, @createdAt, @description,
      @keySpec, @keyUsage, @origin, @state, @policy, @deletionDate, @pendingWindowInDays, @rotationEnabled,
      @rotationPeriodInDays, @nextRotationAt, @currentVersion, @onDemandRotations)
    ON CONFLICT (key_id) DO UPDATE SET description = excluded.description, state = excluded.state,
      policy = excluded.policy, deletion_date = excluded.deletion_date,
      pending_window_in_days = excluded.pending_window_in_days, rotation_enabled = excluded.rotation_enabled,
      rotation_period_in_days = excluded.rotation_period_in_days, next_rotation_at = excluded.next_rotation_at,
      current_version = excluded.current_version, on_demand_rotations = excluded.on_demand_rotations`);
  const putMaterial = db.prepare(
    'INSERT INTO materials VALUES (@keyId, @version, @keyMaterialId, @wrapped, @createdAt, @rotationType)',
  );
  const deleteKey = db.prepare('DELETE FROM keys WHERE key_id = ?');
  // key_usage has no foreign key (migration 5): a key's usage row goes with it here.
  const deleteUsage = db.prepare('DELETE FROM key_usage WHERE key_id = ?');
  const putAlias =
    db.prepare(`INSERT INTO aliases VALUES (@accountId, @region, @aliasName, @targetKeyId, @createdAt, @updatedAt)
    ON CONFLICT (account_id, region, alias_name) DO UPDATE SET target_key_id = excluded.target_key_id,
      updated_at = excluded.updated_at`);
  const deleteAlias = db.prepare(
    'DELETE FROM aliases WHERE account_id = ? AND region = ? AND alias_name = ?',
  );
  const deleteTags = db.prepare('DELETE FROM tags WHERE key_id = ?');
  const insertTag = db.prepare('INSERT INTO tags VALUES (?, ?, ?)');
  // Positional parameters: with many keys in use, a write is thousands of rows. No row is checked
  // against keys (migration 5): a key is destroyed only after its waiting period in PendingDeletion,
  // during which no use of it is noted, so a row for a key already gone comes only from a dev reset
  // racing a write; a row is only ever read together with the key of its id.
  const upsertUsage = db.prepare<[string, string, number, string]>(`INSERT INTO key_usage
    (key_id, operation, at, request_id) VALUES (?, ?, ?, ?)
    ON CONFLICT (key_id) DO UPDATE SET operation = excluded.operation, at = excluded.at, request_id = excluded.request_id
    WHERE excluded.at >= key_usage.at`);
  const getMeta = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE name = ?');
  const setMeta = db.prepare(
    'INSERT INTO meta VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
  );

  // Keys per account and region, for the quota of createKey writes. This store is the only writer of
  // its database while it is open (the data dir is locked; with several workers only the primary's
  // store writes), so each count is read once and then kept up to date here: a COUNT over 100,000 keys
  // on every creation would cost more than the creation.
  const countKeys = db.prepare<[string, string], { n: number }>(
    'SELECT COUNT(*) AS n FROM keys WHERE account_id = ? AND region = ?',
  );
  /** A stored key's scope; undefined when the key does not exist. */
  const scopeOfKey = db.prepare<[string], { account_id: string; region: string }>(
    'SELECT account_id, region FROM keys WHERE key_id = ?',
  );
  const keyCounts = new Map<string, number>();
  const scopeOf = (accountId: string, region: string): string => `${accountId}\u0000${region}`;
  /** The changes to the counts made by the transaction under way, kept only if it commits. */
  let pending: Map<string, number> | undefined;
  /**
   * Keys in the scope now, this transaction's writes so far included. Every change to a scope calls
   * this first, so a count read here never holds a change of the transaction under way: it is the
   * committed count, and stays right whether the transaction commits or rolls back.
   */
  const keysIn = (scope: string, accountId: string, region: string): number => {
    let known = keyCounts.get(scope);
    if (known === undefined) {
      known = countKeys.get(accountId, region)?.n ?? 0;
      keyCounts.set(scope, known);
    }
    return known + (pending?.get(scope) ?? 0);
  };
  const countChange = (accountId: string, region: string, by: number): void => {
    const scope = scopeOf(accountId, region);
    keysIn(scope, accountId, region);
    if (pending) pending.set(scope, (pending.get(scope) ?? 0) + by);
  };
  /** Writes a key row, counting it when new; with `quota`, refuses a new key past it. */
  const writeKey = (key: KeyRow, quota?: number): void => {
    if (scopeOfKey.get(key.keyId) === undefined) {
      const { accountId, region } = key;
      if (quota !== undefined && keysIn(scopeOf(accountId, region), accountId, region) >= quota)
        throw new KeyQuotaExceededError(quota);
      countChange(accountId, region, 1);
    }
    putKey.run({ ...key, rotationEnabled: key.rotationEnabled ? 1 : 0 });
  };

  const applyOne = (w: StoreWrite): void => {
    switch (w.kind) {
      case 'putKey':
        writeKey(w.key);
        return;
      case 'createKey':
        writeKey(w.key, w.quota);
        return;
      case 'putMaterial':
        putMaterial.run(w.material);
        return;
      case 'deleteKey': {
        const owner = scopeOfKey.get(w.keyId);
        if (owner !== undefined) countChange(owner.account_id, owner.region, -1);
        deleteUsage.run(w.keyId);
        deleteKey.run(w.keyId);
        return;
      }
      case 'putAlias':
        putAlias.run(w.alias);
        return;
      case 'deleteAlias':
        deleteAlias.run(w.accountId, w.region, w.aliasName);
        return;
      case 'putTags':
        deleteTags.run(w.keyId);
        for (const t of w.tags) insertTag.run(w.keyId, t.tagKey, t.tagValue);
        return;
    }
  };
  const applyInTransaction = db.transaction((writes: readonly StoreWrite[]) => {
    for (const w of writes) applyOne(w);
  });
  const applyAll = (writes: readonly StoreWrite[]): void => {
    const changes = new Map<string, number>();
    pending = changes;
    try {
      // IMMEDIATE: the write lock first (waiting for it as busy_timeout allows), then the reads. A
      // deferred transaction that reads first and another connection (the audit thread's) commits
      // before it writes cannot take the lock at all: SQLite refuses it at once with SQLITE_BUSY.
      applyInTransaction.immediate(writes);
    } finally {
      pending = undefined;
    }
    for (const [scope, by] of changes) keyCounts.set(scope, (keyCounts.get(scope) ?? 0) + by);
  };
  const usageRange = db.transaction((rows: readonly KeyUsageRow[], from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const r = rows[i] as KeyUsageRow;
      upsertUsage.run(r.keyId, r.operation, r.at, r.requestId);
    }
  });
  /** A large write in key order, a transaction per range of keys, the event loop free between them. */
  const usageInRanges = async (rows: readonly KeyUsageRow[]): Promise<void> => {
    const sorted = [...rows].sort(byKeyId);
    for (let from = 0; from < sorted.length; from += USAGE_ROWS_PER_TRANSACTION) {
      if (from > 0) await new Promise((resolve) => setImmediate(resolve));
      usageRange(sorted, from, Math.min(sorted.length, from + USAGE_ROWS_PER_TRANSACTION));
    }
  };

  return {
    apply(writes) {
      try {
        applyAll(writes);
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
      return Promise.resolve();
    },
    loadAll(): Promise<StoreSnapshot> {
      return Promise.resolve(snapshotOf(db, undefined));
    },
    loadKeys(keyIds) {
      return Promise.resolve(snapshotOf(db, keyIds));
    },
    recordUsage(rows) {
      if (rows.length > USAGE_ROWS_PER_TRANSACTION) return usageInRanges(rows);
      usageRange(rows, 0, rows.length);
      return Promise.resolve();
    },
    getMeta(name) {
      return Promise.resolve(getMeta.get(name)?.value);
    },
    setMeta(name, value) {
      setMeta.run(name, value);
      return Promise.resolve();
    },
    wipe() {
      keyCounts.clear();
      db.exec(
        'DELETE FROM key_usage; DELETE FROM tags; DELETE FROM aliases; DELETE FROM materials; DELETE FROM keys;',
      );
      return Promise.resolve();
    },
    close() {
      db.close();
      return Promise.resolve();
    },
  };
}

/** Every row (keyIds undefined), or the rows of these keys: their metadata, material, tags, usage and the
 *  aliases that point at them. */
function snapshotOf(db: SqliteDatabase, keyIds: readonly string[] | undefined): StoreSnapshot {
  const ids = keyIds === undefined ? undefined : JSON.stringify(keyIds);
  const where = (column: string): string =>
    ids === undefined ? '' : `WHERE ${column} IN (SELECT value FROM json_each(?))`;
  const params = ids === undefined ? [] : [ids];
  const texts = new TextPool();
  // Rows are mapped as they are read (iterate, not all): the raw rows die young, one at a time.
  const keys: KeyRow[] = [];
  const keyRows = db.prepare<unknown[], KeyDbRow>(`SELECT * FROM keys ${where('key_id')}`);
  for (const r of keyRows.iterate(...params)) keys.push(keyFromDb(r, texts));
  const materials: MaterialRow[] = [];
  const materialRows = db.prepare<unknown[], MaterialDbRow>(
    `SELECT * FROM materials ${where('key_id')} ORDER BY key_id, created_at, version`,
  );
  for (const r of materialRows.iterate(...params)) {
    materials.push({
      keyId: r.key_id,
      version: r.version,
      keyMaterialId: r.key_material_id,
      wrapped: r.wrapped,
      createdAt: r.created_at,
      rotationType: r.rotation_type === null ? null : texts.share(r.rotation_type),
    });
  }
  const aliases: AliasRow[] = db
    .prepare<
      unknown[],
      {
        account_id: string;
        region: string;
        alias_name: string;
        target_key_id: string;
        created_at: number;
        updated_at: number;
      }
    >(`SELECT * FROM aliases ${where('target_key_id')}`)
    .all(...params)
    .map((r) => ({
      accountId: r.account_id,
      region: r.region,
      aliasName: r.alias_name,
      targetKeyId: r.target_key_id,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  const tags = new Map<string, TagRow[]>();
  for (const r of db
    .prepare<unknown[], { key_id: string; tag_key: string; tag_value: string }>(
      `SELECT * FROM tags ${where('key_id')} ORDER BY key_id, tag_key`,
    )
    .all(...params)) {
    const list = tags.get(r.key_id) ?? [];
    list.push({ tagKey: r.tag_key, tagValue: r.tag_value });
    tags.set(r.key_id, list);
  }
  const usage = db
    .prepare<unknown[], { key_id: string; operation: string; at: number; request_id: string }>(
      `SELECT * FROM key_usage ${where('key_id')}`,
    )
    .all(...params)
    .map((r) => ({
      keyId: r.key_id,
      operation: texts.share(r.operation),
      at: r.at,
      requestId: r.request_id,
    }));
  return { keys, materials, aliases, tags, usage };
}
