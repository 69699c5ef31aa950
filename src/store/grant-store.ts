// Persistence for grants and the hashes of their tokens. Async so that a networked database fits; it
// knows nothing of what a grant allows, and it never sees a grant token, only a one-way hash of it.

/** One grant as stored. Times are epoch milliseconds; `operations` and `constraints` are JSON text. */
export interface GrantRow {
  readonly grantId: string;
  readonly keyId: string;
  readonly name: string | null;
  readonly createdAt: number;
  readonly granteePrincipal: string | null;
  readonly granteeServicePrincipal: string | null;
  readonly retiringPrincipal: string | null;
  readonly retiringServicePrincipal: string | null;
  readonly issuingAccount: string;
  /** JSON array of grant operation names. */
  readonly operations: string;
  /** JSON object of the constraints, or null when the grant has none. */
  readonly constraints: string | null;
}

/** The hash of one grant token; a grant may have many (one per CreateGrant that returned it). */
export interface GrantTokenRow {
  readonly grantId: string;
  readonly tokenHash: Buffer;
}

export interface GrantSnapshot {
  readonly grants: readonly GrantRow[];
  readonly tokens: readonly GrantTokenRow[];
}

export interface GrantStore {
  /** Every grant and token hash, for warming the in-memory index at start-up. */
  loadAll(): Promise<GrantSnapshot>;
  /** The grants on these keys and their token hashes (for refreshing a cache another process changed). */
  loadForKeys(keyIds: readonly string[]): Promise<GrantSnapshot>;
  /** Stores a new grant with its first token hash, atomically and durably. */
  putGrant(grant: GrantRow, token: GrantTokenRow): Promise<void>;
  /** Adds a token hash to an existing grant (an idempotent CreateGrant retry). */
  addToken(token: GrantTokenRow): Promise<void>;
  /** Deletes a grant and its token hashes; deleting a missing grant is not an error. */
  deleteGrant(grantId: string): Promise<void>;
}
