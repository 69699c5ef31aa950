// The one persistence interface. Async throughout so that a networked database can implement it;
// it knows nothing of policies or HTTP. Key material only ever arrives here wrapped.

export type KeyState =
  | 'Creating'
  | 'Enabled'
  | 'Disabled'
  | 'PendingDeletion'
  | 'PendingImport'
  | 'PendingReplicaDeletion'
  | 'Unavailable'
  | 'Updating';

/** A KMS key's metadata row. Times are epoch milliseconds. */
export interface KeyRow {
  readonly keyId: string;
  readonly accountId: string;
  readonly region: string;
  readonly createdAt: number;
  readonly description: string;
  readonly keySpec: string;
  readonly keyUsage: string;
  readonly origin: string;
  readonly state: KeyState;
  readonly policy: string;
  readonly deletionDate: number | null;
  readonly pendingWindowInDays: number | null;
  readonly rotationEnabled: boolean;
  readonly rotationPeriodInDays: number | null;
  readonly nextRotationAt: number | null;
  /** The material version that encrypts now (hex of 16 bytes). */
  readonly currentVersion: string;
  readonly onDemandRotations: number;
}

/** One version of a key's material, wrapped under the root key. */
export interface MaterialRow {
  readonly keyId: string;
  readonly version: string;
  readonly keyMaterialId: string;
  readonly wrapped: Buffer;
  readonly createdAt: number;
  readonly rotationType: 'AUTOMATIC' | 'ON_DEMAND' | null;
}

export interface AliasRow {
  readonly accountId: string;
  readonly region: string;
  readonly aliasName: string;
  readonly targetKeyId: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface TagRow {
  readonly tagKey: string;
  readonly tagValue: string;
}

export interface KeyUsageRow {
  readonly keyId: string;
  readonly operation: string;
  readonly at: number;
  readonly requestId: string;
}

export type StoreWrite =
  | { readonly kind: 'putKey'; readonly key: KeyRow }
  /**
   * A new key: written as putKey is, unless its account already holds `quota` keys in its region
   * (every state counts), when the whole apply fails with KeyQuotaExceededError. Checked where the
   * writes are applied, so it holds however many processes create keys at once.
   */
  | { readonly kind: 'createKey'; readonly key: KeyRow; readonly quota: number }
  | { readonly kind: 'putMaterial'; readonly material: MaterialRow }
  | { readonly kind: 'deleteKey'; readonly keyId: string }
  | { readonly kind: 'putAlias'; readonly alias: AliasRow }
  | {
      readonly kind: 'deleteAlias';
      readonly accountId: string;
      readonly region: string;
      readonly aliasName: string;
    }
  | { readonly kind: 'putTags'; readonly keyId: string; readonly tags: readonly TagRow[] };

/** A createKey write found its account's key quota reached: nothing of that apply was written. */
export class KeyQuotaExceededError extends Error {
  constructor(readonly quota: number) {
    super(`An account can have at most ${String(quota)} KMS keys.`);
    this.name = 'KeyQuotaExceededError';
  }
}

export interface StoreSnapshot {
  readonly keys: KeyRow[];
  readonly materials: MaterialRow[];
  readonly aliases: AliasRow[];
  readonly tags: Map<string, TagRow[]>;
  readonly usage: KeyUsageRow[];
}

export interface Store {
  /** Applies the writes atomically and durably: when this resolves they survive a crash. */
  apply(writes: readonly StoreWrite[]): Promise<void>;
  /** Everything, for warming the in-memory cache at start-up. */
  loadAll(): Promise<StoreSnapshot>;
  /** The rows of these keys (missing ids are left out) and the aliases pointing at them: what another
   *  process changed, for refreshing a cache. */
  loadKeys(keyIds: readonly string[]): Promise<StoreSnapshot>;
  /** Records the last cryptographic use of keys (best effort, batched by the caller). */
  recordUsage(rows: readonly KeyUsageRow[]): Promise<void>;
  getMeta(name: string): Promise<string | undefined>;
  setMeta(name: string, value: string): Promise<void>;
  /** Removes every row (dev mode reset). */
  wipe(): Promise<void>;
  close(): Promise<void>;
}
