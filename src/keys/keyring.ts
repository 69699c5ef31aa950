// The in-memory view of every key, alias and tag, kept coherent with the store: every change is written
// durably first and applied to memory after. Reads (the hot path) never touch the store.
// Changes are serialised through one lock so that check-then-write steps cannot interleave; with several
// processes the lock is theirs together, and each change names the keys it touched so that the other
// processes reload them from the store before the change is acknowledged.
import { randomBytes } from 'node:crypto';
import type { RootKey } from '../root/root-key.js';
import type {
  AliasRow,
  KeyRow,
  KeyUsageRow,
  MaterialRow,
  Store,
  StoreSnapshot,
  StoreWrite,
  TagRow,
} from '../store/store.js';
import { keySpecRow } from '../crypto/key-specs.js';
import { loadMaterial, type LoadedKey } from '../crypto/key-material.js';
import { keyArn, type Scope } from './arn.js';
import { KeyEntry, materialOf, pooledRow, type KmsKey, type Material } from './key-entry.js';
import { MaterialSlots, NO_SLOT } from './material-slots.js';
import { ScopeIndex } from './scope-index.js';
import { StringPool } from './string-pool.js';
import { isUsageWriteDue } from './usage-schedule.js';
import { LocalCoordinator, type ChangeSet, type Coordinator } from '../cluster/coordinator.js';

export type { KmsKey, Material };

export interface NewMaterial {
  readonly material: Material;
  readonly plaintext: Buffer;
}

function aliasKey(accountId: string, region: string, aliasName: string): string {
  return `${accountId}\u0000${region}\u0000${aliasName}`;
}

function materialAad(keyId: string, version: string): string {
  return `trent-key-material:${keyId}:${version}`;
}

function wrappedBytes(m: Material): Buffer {
  return Buffer.from(m.wrapped, 'latin1');
}

function materialRow(keyId: string, m: Material): MaterialRow {
  return {
    keyId,
    version: m.version,
    keyMaterialId: m.keyMaterialId,
    wrapped: wrappedBytes(m),
    createdAt: m.createdAt,
    rotationType: m.rotationType,
  };
}

export class Keyring {
  readonly #store: Store;
  readonly #root: RootKey;
  readonly #partition: string;
  readonly #keys = new Map<string, KeyEntry>();
  /** Per account and region: the key ids, and (built on demand, then kept) the keys sorted by id. */
  readonly #scopes = new Map<string, ScopeIndex<KeyEntry>>();
  readonly #aliases = new Map<string, AliasRow>();
  /** Per account and region: the alias names, and (built on demand, then kept) the aliases by name. */
  readonly #aliasScopes = new Map<string, ScopeIndex<AliasRow>>();
  /** The keys used since the last flushUsage(), each flagged usageWaiting (its last use is kept with
   *  it): with many keys in use a flag and a list cost a request less than a set of key ids. */
  #usageWaiting: KeyEntry[] = [];
  /** Checks (checkUsage) since the oldest use in #usageWaiting was noted. */
  #usageChecksWaited = 0;
  readonly #coordinator: Coordinator;
  /** Keys touched by the change running under exclusive(). */
  readonly #changed = new Set<string>();
  #changedEverything = false;
  /** The texts keys repeat, shared among them. */
  readonly #strings = new StringPool();
  /** Symmetric keys' unwrapped material; each entry holds the numbers of its slots. */
  readonly #slots = new MaterialSlots();

  private constructor(store: Store, root: RootKey, partition: string, coordinator: Coordinator) {
    this.#store = store;
    this.#root = root;
    this.#partition = partition;
    this.#coordinator = coordinator;
  }

  static async open(
    store: Store,
    root: RootKey,
    partition: string,
    coordinator: Coordinator = new LocalCoordinator(),
  ): Promise<Keyring> {
    const ring = new Keyring(store, root, partition, coordinator);
    await ring.reload();
    return ring;
  }

  /** Replaces the whole cache from the store. */
  async reload(): Promise<void> {
    const snap = await this.#store.loadAll();
    // Every entry is replaced by one that knows the uses the store holds.
    for (const entry of this.#usageWaiting) entry.usageWaiting = false;
    this.#usageWaiting = [];
    this.#keys.clear();
    this.#scopes.clear();
    this.#aliases.clear();
    this.#aliasScopes.clear();
    this.#strings.clear();
    this.#slots.clear();
    this.#add(snap, undefined);
  }

  /**
   * Reloads these keys from the store after another process changed them: metadata, material, tags
   * and the aliases that point at them. A key gone from the store leaves the cache; material already
   * unwrapped stays (a version's material never changes).
   */
  async refresh(keyIds: readonly string[]): Promise<void> {
    if (keyIds.length === 0) return;
    const snap = await this.#store.loadKeys(keyIds);
    const previous = new Map<string, KeyEntry>();
    for (const keyId of keyIds) {
      const entry = this.#keys.get(keyId);
      if (!entry) continue;
      previous.set(keyId, entry);
      this.#unindex(entry);
      for (const name of entry.aliases) {
        const k = aliasKey(entry.row.accountId, entry.row.region, name);
        if (this.#aliases.get(k)?.targetKeyId === keyId)
          this.#removeAlias(entry.row.accountId, entry.row.region, name);
      }
    }
    this.#add(snap, previous);
    // A key gone from the store takes its material with it (a key still there adopted the slots).
    for (const before of previous.values()) before.releaseSecrets(this.#slots);
    // A use waiting to be written moves to the key's new entry (which took it over), or is dropped
    // with a key gone.
    for (const [keyId, before] of previous) {
      if (!before.usageWaiting) continue;
      this.#stopWaiting(before);
      const after = this.#keys.get(keyId);
      if (after) this.#startWaiting(after);
    }
    for (const row of snap.keys) this.#warm(row.keyId);
  }

  /** Adds the snapshot's keys, material, aliases and usage to the cache (usage only when newer than
   *  what this process noted), each key taking over what its previous entry unwrapped. */
  #add(snap: StoreSnapshot, previous: ReadonlyMap<string, KeyEntry> | undefined): void {
    for (const row of snap.keys) {
      const entry = this.#entryOf(row, snap.tags.get(row.keyId) ?? []);
      this.#index(entry);
      const before = previous?.get(row.keyId);
      if (before) entry.adopt(before);
    }
    for (const m of snap.materials) {
      const entry = this.#keys.get(m.keyId);
      if (entry) entry.addMaterial(this.#toMaterial(m, entry));
    }
    for (const a of snap.aliases) {
      const k = aliasKey(a.accountId, a.region, a.aliasName);
      const displaced = this.#aliases.get(k);
      if (displaced) this.#keys.get(displaced.targetKeyId)?.deleteAlias(a.aliasName);
      this.#setAlias(a);
      this.#keys.get(a.targetKeyId)?.addAlias(a.aliasName);
    }
    for (const u of snap.usage) this.#keys.get(u.keyId)?.mergeUsage(u);
  }

  /** A cache entry for the row, its repeated texts shared with other keys'. */
  #entryOf(row: KeyRow, tags: readonly TagRow[]): KeyEntry {
    const pooled = pooledRow(row, this.#strings);
    const scope = {
      partition: this.#partition,
      region: pooled.region,
      accountId: pooled.accountId,
    };
    return new KeyEntry(pooled, this.#strings.share(keyArn(scope, '')), tags);
  }

  /** The in-memory material of a row; the current version shares the key row's string. */
  #toMaterial(m: MaterialRow, entry: KeyEntry): Material {
    return {
      version: m.version === entry.row.currentVersion ? entry.row.currentVersion : m.version,
      keyMaterialId: m.keyMaterialId,
      createdAt: m.createdAt,
      rotationType: m.rotationType === null ? null : this.#strings.share(m.rotationType),
      wrapped: m.wrapped.toString('latin1'),
    };
  }

  get partition(): string {
    return this.#partition;
  }

  get(keyId: string): KmsKey | undefined {
    return this.#keys.get(keyId);
  }

  alias(accountId: string, region: string, aliasName: string): AliasRow | undefined {
    return this.#aliases.get(aliasKey(accountId, region, aliasName));
  }

  #index(entry: KeyEntry): void {
    // An entry replaced without being adopted gives its material up.
    const replaced = this.#keys.get(entry.row.keyId);
    if (replaced !== undefined && replaced !== entry) replaced.releaseSecrets(this.#slots);
    this.#keys.set(entry.row.keyId, entry);
    this.#scope(entry.row.accountId, entry.row.region).add(entry.row.keyId);
  }

  #unindex(entry: KeyEntry): void {
    this.#keys.delete(entry.row.keyId);
    this.#scope(entry.row.accountId, entry.row.region).remove(entry.row.keyId);
  }

  #scope(accountId: string, region: string): ScopeIndex<KeyEntry> {
    const name = `${accountId}\u0000${region}`;
    let scope = this.#scopes.get(name);
    if (!scope) {
      scope = new ScopeIndex(
        (keyId) => this.#keys.get(keyId),
        (entry) => entry.row.keyId,
      );
      this.#scopes.set(name, scope);
    }
    return scope;
  }

  /** Keys of one account and region, ordered by key id (kept in order across changes). */
  keysOf(accountId: string, region: string): readonly KmsKey[] {
    return this.#scope(accountId, region).sorted();
  }

  /** Aliases of one account and region, ordered by name (kept in order across changes). */
  aliasesOf(accountId: string, region: string): readonly AliasRow[] {
    return this.#aliasScope(accountId, region).sorted();
  }

  /** The aliases of one account and region that point at a key, ordered by name (none for a key of
   *  another account or region). */
  aliasesOfKey(accountId: string, region: string, key: KmsKey): AliasRow[] {
    const out: AliasRow[] = [];
    for (const name of key.aliases) {
      const alias = this.#aliases.get(aliasKey(accountId, region, name));
      if (alias?.targetKeyId === key.row.keyId) out.push(alias);
    }
    return out.sort((a, b) => (a.aliasName < b.aliasName ? -1 : a.aliasName > b.aliasName ? 1 : 0));
  }

  #aliasScope(accountId: string, region: string): ScopeIndex<AliasRow> {
    const name = `${accountId}\u0000${region}`;
    let scope = this.#aliasScopes.get(name);
    if (!scope) {
      scope = new ScopeIndex(
        (aliasName) => this.#aliases.get(aliasKey(accountId, region, aliasName)),
        (alias) => alias.aliasName,
      );
      this.#aliasScopes.set(name, scope);
    }
    return scope;
  }

  #setAlias(alias: AliasRow): void {
    this.#aliases.set(aliasKey(alias.accountId, alias.region, alias.aliasName), alias);
    this.#aliasScope(alias.accountId, alias.region).add(alias.aliasName);
  }

  #removeAlias(accountId: string, region: string, aliasName: string): void {
    this.#aliases.delete(aliasKey(accountId, region, aliasName));
    this.#aliasScope(accountId, region).remove(aliasName);
  }

  allKeys(): IterableIterator<KmsKey> {
    return this.#keys.values();
  }

  countKeys(accountId: string, region: string): number {
    return this.#scope(accountId, region).size;
  }

  /**
   * The unwrapped material of a symmetric key's version (unwrapped once, then kept in the keyring's
   * slots), as a view to hand straight to a cipher: it must not be kept past the current turn, since
   * the slot is zeroed and reused once the key leaves the cache.
   */
  materialKey(key: KmsKey, version: string): Buffer | undefined {
    const entry = this.#keys.get(key.row.keyId);
    if (!entry) return undefined;
    const kept = entry.secret(version);
    if (kept !== NO_SLOT) return this.#slots.view(kept);
    const m = materialOf(entry, version);
    if (!m) return undefined;
    const bytes = this.#root.unwrap(wrappedBytes(m), materialAad(entry.row.keyId, version));
    let slot: number;
    try {
      slot = this.#slots.put(bytes);
    } finally {
      bytes.fill(0);
    }
    entry.keepSecret(version, slot);
    return this.#slots.view(slot);
  }

  /** How many symmetric material versions this process holds unwrapped. */
  get unwrappedCount(): number {
    return this.#slots.size;
  }

  /** A non-symmetric key's current material, loaded (private key, HMAC secret, expanded post-quantum
   *  secret key): unwrapped once, then kept with the key. */
  loadedKey(key: KmsKey): LoadedKey {
    const entry = this.#keys.get(key.row.keyId);
    const version = key.row.currentVersion;
    const kept = entry?.loaded(version);
    if (kept) return kept;
    const bytes = this.materialBytes(key, version);
    if (!bytes) throw new Error(`key ${key.row.keyId} material cannot be unwrapped`);
    try {
      const loaded = loadMaterial(keySpecRow(key.row.keySpec), bytes);
      entry?.keepLoaded(version, loaded);
      return loaded;
    } finally {
      bytes.fill(0);
    }
  }

  /**
   * Unwraps, in the background, the current material of every enabled symmetric key not yet
   * unwrapped, a slice of keys per turn of the event loop, so that the first request for a key
   * costs no more than the next (with many keys in the store, most requests would otherwise be a
   * key's first). The material is the same cache materialKey fills on first use. Resolves when done
   * or once `stopped()` is true.
   */
  async warmSymmetricMaterial(stopped: () => boolean = () => false, slice = 500): Promise<number> {
    let warmed = 0;
    let inSlice = 0;
    for (const keyId of [...this.#keys.keys()]) {
      if (stopped()) break;
      if (this.#warm(keyId)) warmed += 1;
      if (++inSlice >= slice) {
        inSlice = 0;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    return warmed;
  }

  /** Unwraps an enabled symmetric key's current material if not yet done; true if it did. Keys made,
   *  changed or refreshed while serving are warmed at once (one unwrap each), the rest by
   *  warmSymmetricMaterial. */
  #warm(keyId: string): boolean {
    const entry = this.#keys.get(keyId);
    if (!entry) return false;
    const row = entry.row;
    if (row.keySpec !== 'SYMMETRIC_DEFAULT' || row.state !== 'Enabled') return false;
    if (entry.isWarm) return false;
    try {
      return this.materialKey(entry, row.currentVersion) !== undefined;
    } catch {
      // Material that cannot be unwrapped fails the request that needs it, as before; not this one.
      return false;
    }
  }

  /** Raw bytes of a version's material, for key types whose crypto needs more than a secret KeyObject. */
  materialBytes(key: KmsKey, version: string): Buffer | undefined {
    const m = materialOf(key, version);
    if (!m) return undefined;
    return this.#root.unwrap(wrappedBytes(m), materialAad(key.row.keyId, version));
  }

  /**
   * Wraps fresh (or given) key material for `keyId`; the plaintext is zeroed by the caller.
   * `keyMaterialId` (64 hex) is random unless given, e.g. for reproducible seeded keys.
   */
  newMaterial(
    keyId: string,
    now: number,
    rotationType: Material['rotationType'],
    plaintext: Buffer,
    keyMaterialId: string = randomBytes(32).toString('hex'),
  ): Material {
    const version = keyMaterialId.slice(0, 32);
    return {
      version,
      keyMaterialId,
      createdAt: now,
      rotationType,
      wrapped: this.#root.wrap(plaintext, materialAad(keyId, version)).toString('latin1'),
    };
  }

  /** Runs `fn` with every other change (in every process) held off; other processes see its
   *  changes before it settles. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.#coordinator.exclusive(
      'keys',
      () => {
        this.#changed.clear();
        this.#changedEverything = false;
        return fn();
      },
      (): ChangeSet => ({
        keys: [...this.#changed],
        grantKeys: [],
        everything: this.#changedEverything,
      }),
    );
  }

  /**
   * Runs the creation of key `keyId`: in one process under the change lock; with several processes
   * without a lock (no other change can touch a key that does not exist yet, and creations running side
   * by side share the primary's commits; the quota is then held by the store's check as the primary
   * commits each new key), other processes having loaded the new key before this settles.
   */
  creating<T>(keyId: string, fn: () => Promise<T>): Promise<T> {
    return this.#coordinator.publish('keys', fn, () => ({
      keys: [keyId],
      grantKeys: [],
      everything: false,
    }));
  }

  /**
   * Writes a new key and caches it. With `quota`, the store refuses it (KeyQuotaExceededError) when
   * the key's account already holds that many keys in its region, counting keys made at the same
   * time by other processes.
   */
  async createKey(
    row: KeyRow,
    material: Material | undefined,
    tags: readonly TagRow[],
    quota?: number,
  ): Promise<KmsKey> {
    const writes: StoreWrite[] = [
      quota === undefined ? { kind: 'putKey', key: row } : { kind: 'createKey', key: row, quota },
    ];
    if (material) writes.push({ kind: 'putMaterial', material: materialRow(row.keyId, material) });
    if (tags.length > 0) writes.push({ kind: 'putTags', keyId: row.keyId, tags });
    this.#changed.add(row.keyId);
    await this.#store.apply(writes);
    const entry = this.#entryOf(row, [...tags]);
    if (material) entry.addMaterial(material);
    this.#index(entry);
    this.#warm(row.keyId);
    return entry;
  }

  async updateKey(
    keyId: string,
    patch: Partial<Omit<KeyRow, 'keyId' | 'accountId' | 'region'>>,
    material?: Material,
  ): Promise<KmsKey> {
    const entry = this.#mustGet(keyId);
    const row: KeyRow = { ...entry.row, ...patch };
    const writes: StoreWrite[] = [{ kind: 'putKey', key: row }];
    if (material) writes.push({ kind: 'putMaterial', material: materialRow(keyId, material) });
    this.#changed.add(keyId);
    await this.#store.apply(writes);
    entry.row = pooledRow(row, this.#strings);
    if (material) entry.addMaterial(material);
    // A rotated or re-enabled key is warmed now, like a new one.
    this.#warm(keyId);
    return entry;
  }

  async putTags(keyId: string, tags: readonly TagRow[]): Promise<void> {
    const entry = this.#mustGet(keyId);
    this.#changed.add(keyId);
    await this.#store.apply([{ kind: 'putTags', keyId, tags }]);
    entry.setTags(tags);
  }

  async putAlias(alias: AliasRow): Promise<void> {
    const k = aliasKey(alias.accountId, alias.region, alias.aliasName);
    const displaced = this.#aliases.get(k);
    if (displaced) this.#changed.add(displaced.targetKeyId);
    this.#changed.add(alias.targetKeyId);
    await this.#store.apply([{ kind: 'putAlias', alias }]);
    const previous = this.#aliases.get(k);
    if (previous) this.#keys.get(previous.targetKeyId)?.deleteAlias(alias.aliasName);
    this.#setAlias(alias);
    this.#keys.get(alias.targetKeyId)?.addAlias(alias.aliasName);
  }

  async deleteAlias(accountId: string, region: string, aliasName: string): Promise<void> {
    const k = aliasKey(accountId, region, aliasName);
    const target = this.#aliases.get(k)?.targetKeyId;
    if (target !== undefined) this.#changed.add(target);
    await this.#store.apply([{ kind: 'deleteAlias', accountId, region, aliasName }]);
    const previous = this.#aliases.get(k);
    if (previous) this.#keys.get(previous.targetKeyId)?.deleteAlias(aliasName);
    this.#removeAlias(accountId, region, aliasName);
  }

  /** Destroys a key for good: its material, aliases, tags and metadata. */
  async destroyKey(keyId: string): Promise<void> {
    const entry = this.#mustGet(keyId);
    this.#changed.add(keyId);
    await this.#store.apply([{ kind: 'deleteKey', keyId }]);
    for (const name of entry.aliases)
      this.#removeAlias(entry.row.accountId, entry.row.region, name);
    this.#unindex(entry);
    this.#stopWaiting(entry);
    entry.releaseSecrets(this.#slots);
  }

  /** Notes a successful cryptographic use; written to the store by checkUsage() or flushUsage(). */
  noteUsage(row: KeyUsageRow): void {
    const entry = this.#keys.get(row.keyId);
    if (!entry) return;
    entry.noteUsage(row);
    if (!entry.usageWaiting) this.#startWaiting(entry);
  }

  #startWaiting(entry: KeyEntry): void {
    entry.usageWaiting = true;
    this.#usageWaiting.push(entry);
  }

  /** Takes an entry leaving the cache off the list (a search of it: keys leave seldom). */
  #stopWaiting(entry: KeyEntry): void {
    if (!entry.usageWaiting) return;
    entry.usageWaiting = false;
    const at = this.#usageWaiting.indexOf(entry);
    if (at >= 0) this.#usageWaiting.splice(at, 1);
  }

  lastUsage(keyId: string): KeyUsageRow | undefined {
    return this.#keys.get(keyId)?.lastUsage();
  }

  /** The last use noted by any process: this one's, or what the store holds if that is later (other
   *  processes write theirs within ten seconds, see checkUsage). */
  async latestUsage(keyId: string): Promise<KeyUsageRow | undefined> {
    const local = this.lastUsage(keyId);
    if (!this.#coordinator.shared) return local;
    const stored = (await this.#store.loadKeys([keyId])).usage[0];
    return stored && (!local || local.at < stored.at) ? stored : local;
  }

  /**
   * Called once a second (USAGE_CHECK_INTERVAL_MS): writes the uses noted since the last write when
   * they are due (isUsageWriteDue: at once for a few keys, within ten checks for many). Until then
   * they are this process's alone; a crash loses them (a last use is not an acknowledged write).
   */
  async checkUsage(): Promise<void> {
    if (this.#usageWaiting.length === 0) {
      this.#usageChecksWaited = 0;
      return;
    }
    this.#usageChecksWaited += 1;
    if (!isUsageWriteDue(this.#usageWaiting.length, this.#usageChecksWaited)) return;
    await this.flushUsage();
  }

  /** Writes every use noted since the last write, due or not (at shutdown). */
  async flushUsage(): Promise<void> {
    this.#usageChecksWaited = 0;
    if (this.#usageWaiting.length === 0) return;
    const rows: KeyUsageRow[] = [];
    for (const entry of this.#usageWaiting) {
      entry.usageWaiting = false;
      const usage = entry.lastUsage();
      if (usage) rows.push(usage);
    }
    this.#usageWaiting = [];
    await this.#store.recordUsage(rows);
  }

  async wipe(): Promise<void> {
    this.#changedEverything = true;
    await this.#store.wipe();
    await this.reload();
  }

  #mustGet(keyId: string): KeyEntry {
    const entry = this.#keys.get(keyId);
    if (!entry) throw new Error(`key ${keyId} vanished from the cache`);
    return entry;
  }
}

export type { Scope };
