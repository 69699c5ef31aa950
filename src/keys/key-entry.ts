// One key as the keyring holds it: its row, material versions, aliases and tags, and its current
// material unwrapped. Kept small, since a store may hold 100,000 keys: repeated texts are shared, keys
// without aliases or tags share one empty set and list, and the ARN is built when asked. Plaintext
// material is held only in the keyring's MaterialSlots (symmetric keys: the entry keeps slot numbers)
// or inside KeyObjects (other specs), never in a Buffer or string of the entry's own.
import type { LoadedKey } from '../crypto/key-material.js';
import { NO_SLOT } from './material-slots.js';
import type { KeyRow, KeyUsageRow, TagRow } from '../store/store.js';
import type { StringPool } from './string-pool.js';

export interface Material {
  readonly version: string;
  readonly keyMaterialId: string;
  readonly createdAt: number;
  readonly rotationType: 'AUTOMATIC' | 'ON_DEMAND' | null;
  /** The material wrapped under the root key (ciphertext, never plaintext), one character per byte
   *  (latin1): a string per version costs a fraction of a Buffer with its own ArrayBuffer. */
  readonly wrapped: string;
}

export interface KmsKey {
  readonly row: KeyRow;
  readonly arn: string;
  /** Oldest first. */
  readonly materials: readonly Material[];
  readonly aliases: ReadonlySet<string>;
  readonly tags: readonly TagRow[];
}

/** A version's material, newest first: the current version is the one most asked for (on every seal). */
export function materialOf(key: KmsKey, version: string): Material | undefined {
  const materials = key.materials;
  for (let i = materials.length - 1; i >= 0; i--) {
    const m = materials[i];
    if (m?.version === version) return m;
  }
  return undefined;
}

/** Shared by every key without aliases; never changed (a key's set is replaced, not edited). */
const NO_ALIASES: ReadonlySet<string> = new Set<string>();
const NO_TAGS: readonly TagRow[] = Object.freeze([]);
const NO_MATERIALS: readonly Material[] = Object.freeze([]);

export class KeyEntry implements KmsKey {
  row: KeyRow;
  materials: readonly Material[] = NO_MATERIALS;
  aliases: ReadonlySet<string> = NO_ALIASES;
  tags: readonly TagRow[];
  /** `arn:<partition>:kms:<region>:<account>:key/`, one string for every key of the account and region. */
  readonly #arnPrefix: string;
  /** The slot of a symmetric key's material of version #secretVersion (the current one, unless it
   *  rotated since), in the keyring's MaterialSlots. */
  #secret = NO_SLOT;
  #secretVersion: string | undefined = undefined;
  /** Earlier versions' slots, unwrapped to open older blobs; made on first such use. */
  #older: Map<string, number> | undefined = undefined;
  /** Another spec's current material, loaded, and the version it is of. */
  #loaded: LoadedKey | undefined = undefined;
  #loadedVersion: string | undefined = undefined;
  /** The last cryptographic use known here (none while #usedFor is empty), kept as fields rather than
   *  the row noted: a request's row then dies young instead of living until the key's next use. */
  #usedAt = 0;
  #usedFor = '';
  #usedIn = '';
  /** Set by the keyring while this key's last use waits to be written to the store. */
  usageWaiting = false;

  constructor(row: KeyRow, arnPrefix: string, tags: readonly TagRow[]) {
    this.row = row;
    this.#arnPrefix = arnPrefix;
    this.tags = tags.length === 0 ? NO_TAGS : tags;
  }

  /** Built on each use rather than kept: one short-lived string instead of one per key. */
  get arn(): string {
    return this.#arnPrefix + this.row.keyId;
  }

  setTags(tags: readonly TagRow[]): void {
    this.tags = tags.length === 0 ? NO_TAGS : [...tags];
  }

  addMaterial(material: Material): void {
    // concat, not a spread: the new array has no spare room.
    this.materials = this.materials.concat(material);
  }

  addAlias(aliasName: string): void {
    if (this.aliases.has(aliasName)) return;
    this.aliases = new Set(this.aliases).add(aliasName);
  }

  deleteAlias(aliasName: string): void {
    if (!this.aliases.has(aliasName)) return;
    const rest = new Set(this.aliases);
    rest.delete(aliasName);
    this.aliases = rest.size === 0 ? NO_ALIASES : rest;
  }

  /** The slot of a version's unwrapped material, if this process unwrapped it before, else NO_SLOT. */
  secret(version: string): number {
    if (version === this.#secretVersion) return this.#secret;
    return this.#older?.get(version) ?? NO_SLOT;
  }

  /** Keeps the slot of a version's unwrapped material: the current version's beside the key, others
   *  aside. A version keeps the slot it was given first. */
  keepSecret(version: string, slot: number): void {
    if (this.secret(version) !== NO_SLOT)
      throw new Error('material of this version is kept already');
    if (version !== this.row.currentVersion) {
      (this.#older ??= new Map()).set(version, slot);
      return;
    }
    if (this.#secret !== NO_SLOT && this.#secretVersion !== undefined)
      (this.#older ??= new Map()).set(this.#secretVersion, this.#secret);
    this.#secret = slot;
    this.#secretVersion = version;
  }

  /** Whether the current version's material is unwrapped. */
  get isWarm(): boolean {
    return this.#secret !== NO_SLOT && this.#secretVersion === this.row.currentVersion;
  }

  /** Hands every slot this entry holds back to `slots` and forgets them (the key leaves the cache). */
  releaseSecrets(slots: { release(slot: number): void }): void {
    const held = this.#takeSlots();
    if (held.current !== NO_SLOT) slots.release(held.current);
    if (held.older) for (const slot of held.older.values()) slots.release(slot);
  }

  /** Empties this entry's slot fields and returns what they held. */
  #takeSlots(): {
    current: number;
    version: string | undefined;
    older: Map<string, number> | undefined;
  } {
    const held = { current: this.#secret, version: this.#secretVersion, older: this.#older };
    this.#secret = NO_SLOT;
    this.#secretVersion = undefined;
    this.#older = undefined;
    return held;
  }

  /** A non-symmetric key's current material, loaded, if this process loaded it before. */
  loaded(version: string): LoadedKey | undefined {
    return version === this.#loadedVersion ? this.#loaded : undefined;
  }

  keepLoaded(version: string, loaded: LoadedKey): void {
    this.#loaded = loaded;
    this.#loadedVersion = version;
  }

  /** Notes a use made here. */
  noteUsage(usage: KeyUsageRow): void {
    this.#usedAt = usage.at;
    this.#usedFor = usage.operation;
    this.#usedIn = usage.requestId;
  }

  /** Notes a use read from the store, if later than the one known. */
  mergeUsage(usage: KeyUsageRow): void {
    if (this.#usedFor === '' || this.#usedAt < usage.at) this.noteUsage(usage);
  }

  lastUsage(): KeyUsageRow | undefined {
    if (this.#usedFor === '') return undefined;
    const keyId = this.row.keyId;
    return { keyId, operation: this.#usedFor, at: this.#usedAt, requestId: this.#usedIn };
  }

  /** Takes over what an earlier entry of the same key unwrapped (a version's material never changes)
   *  and the use it knew of. The earlier entry holds no slot afterwards. */
  adopt(previous: KeyEntry): void {
    if (this.#secret !== NO_SLOT || this.#older !== undefined)
      throw new Error('only an entry that holds no material adopts another');
    this.#usedAt = previous.#usedAt;
    this.#usedFor = previous.#usedFor;
    this.#usedIn = previous.#usedIn;
    const held = previous.#takeSlots();
    this.#older = held.older;
    if (held.current !== NO_SLOT && held.version !== undefined)
      this.keepSecret(held.version, held.current);
    if (previous.#loaded !== undefined && previous.#loadedVersion === this.row.currentVersion)
      this.keepLoaded(previous.#loadedVersion, previous.#loaded);
  }
}

/** A copy of the row whose repeated texts are the pool's. */
export function pooledRow(row: KeyRow, pool: StringPool): KeyRow {
  return {
    keyId: row.keyId,
    accountId: pool.share(row.accountId),
    region: pool.share(row.region),
    createdAt: row.createdAt,
    description: pool.share(row.description),
    keySpec: pool.share(row.keySpec),
    keyUsage: pool.share(row.keyUsage),
    origin: pool.share(row.origin),
    state: pool.share(row.state),
    policy: pool.share(row.policy),
    deletionDate: row.deletionDate,
    pendingWindowInDays: row.pendingWindowInDays,
    rotationEnabled: row.rotationEnabled,
    rotationPeriodInDays: row.rotationPeriodInDays,
    nextRotationAt: row.nextRotationAt,
    currentVersion: row.currentVersion,
    onDemandRotations: row.onDemandRotations,
  };
}
