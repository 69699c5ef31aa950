// The grants of every key: an in-memory index warmed at start-up and written through to the grant
// store, so that authorization reads no database row. Writes are serialised so that the per-key limit
// and Name idempotency cannot race (across processes too: see src/cluster/coordinator.ts). Tokens are minted here and only their hashes are kept.
import { InvalidGrantTokenException, LimitExceededException } from '../../errors.js';
import type { GrantSnapshot, GrantStore } from '../../store/grant-store.js';
import { LocalCoordinator, type ChangeSet, type Coordinator } from '../../cluster/coordinator.js';
import { sameConstraints } from './constraints.js';
import type { Grant, GrantSpec } from './grant.js';
import { GrantIndex } from './grant-index.js';
import { grantFromRow, grantToRow } from './grant-row.js';
import { matchesStoredHash, mintGrantToken, newGrantId, parseGrantToken } from './grant-token.js';

/** AWS's default quota of grants per KMS key (REFERENCE.md §16.1). */
export const DEFAULT_GRANTS_PER_KEY = 50_000;

export interface GrantRegistryOptions {
  readonly store: GrantStore;
  /** Whether a key still exists; grants of destroyed keys are forgotten. */
  readonly keyExists: (keyId: string) => boolean;
  readonly grantsPerKey?: number;
  /** Shares the change lock with other processes and tells them what changed (default: this process alone). */
  readonly coordinator?: Coordinator;
}

export interface IssuedGrant {
  readonly grant: Grant;
  readonly grantToken: string;
}

function sameSpec(a: Grant, b: GrantSpec): boolean {
  return (
    a.granteePrincipal === b.granteePrincipal &&
    a.granteeServicePrincipal === b.granteeServicePrincipal &&
    a.retiringPrincipal === b.retiringPrincipal &&
    a.retiringServicePrincipal === b.retiringServicePrincipal &&
    a.issuingAccount === b.issuingAccount &&
    a.operations.size === b.operations.size &&
    [...a.operations].every((op) => b.operations.has(op)) &&
    sameConstraints(a.constraints, b.constraints)
  );
}

export class GrantRegistry {
  readonly #store: GrantStore;
  readonly #keyExists: (keyId: string) => boolean;
  readonly #limit: number;
  readonly #index = new GrantIndex();
  readonly #coordinator: Coordinator;
  /** Keys whose grants the change running under exclusive() touched. */
  readonly #changed = new Set<string>();

  private constructor(options: GrantRegistryOptions) {
    this.#store = options.store;
    this.#keyExists = options.keyExists;
    this.#limit = options.grantsPerKey ?? DEFAULT_GRANTS_PER_KEY;
    this.#coordinator = options.coordinator ?? new LocalCoordinator();
  }

  static async open(options: GrantRegistryOptions): Promise<GrantRegistry> {
    const registry = new GrantRegistry(options);
    await registry.reload();
    return registry;
  }

  get grantsPerKey(): number {
    return this.#limit;
  }

  /** Replaces the index from the store. */
  async reload(): Promise<void> {
    const snap = await this.#store.loadAll();
    this.#index.clear();
    this.#addAll(snap);
  }

  #addAll(snap: GrantSnapshot): void {
    const hashes = new Map<string, Buffer[]>();
    for (const t of snap.tokens) {
      const list = hashes.get(t.grantId) ?? [];
      list.push(t.tokenHash);
      hashes.set(t.grantId, list);
    }
    for (const row of snap.grants)
      this.#index.add(grantFromRow(row), hashes.get(row.grantId) ?? []);
  }

  #live(keyId: string): boolean {
    if (this.#keyExists(keyId)) return true;
    this.#index.removeKey(keyId);
    return false;
  }

  get(grantId: string): Grant | undefined {
    const grant = this.#index.get(grantId);
    return grant && this.#live(grant.keyId) ? grant : undefined;
  }

  /** Grants of one key, oldest first. */
  onKey(keyId: string): Grant[] {
    if (!this.#live(keyId)) return [];
    return sortByCreation([...(this.#index.onKey(keyId) ?? [])]);
  }

  /** Grants of one key naming a grantee with one of these principal keys (the hot path). */
  forGrantee(keyId: string, principalKeys: readonly string[]): Grant[] {
    return this.#live(keyId) ? this.#index.forGrantee(keyId, principalKeys) : [];
  }

  /** Grants (on any key) whose retiring principal names `retiringPrincipal`, oldest first. */
  retirableBy(retiringPrincipal: string): Grant[] {
    return sortByCreation(
      this.#index.retirableBy(retiringPrincipal).filter((g) => this.#live(g.keyId)),
    );
  }

  /** The live grant a token names. Precondition: the token must be one this server issued. */
  grantOfToken(grantToken: string): Grant {
    const parsed = parseGrantToken(grantToken);
    const grant = parsed ? this.get(parsed.grantId) : undefined;
    if (
      !parsed ||
      !grant ||
      !matchesStoredHash(parsed.tokenHash, this.#index.tokenHashes(grant.grantId))
    ) {
      throw new InvalidGrantTokenException('The grant token is not valid.');
    }
    return grant;
  }

  /** Runs `fn` with every other grant change held off. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.#coordinator.exclusive(
      'grants',
      () => {
        this.#changed.clear();
        return fn();
      },
      (): ChangeSet => ({ keys: [], grantKeys: [...this.#changed], everything: false }),
    );
  }

  /** Reloads the grants of these keys from the store after another process changed them. */
  async refreshKeys(keyIds: readonly string[]): Promise<void> {
    if (keyIds.length === 0) return;
    const snap = await this.#store.loadForKeys(keyIds);
    for (const keyId of keyIds) this.#index.removeKey(keyId);
    this.#addAll(snap);
  }

  /**
   * Issues a grant: with a Name, an existing grant of identical parameters is reused (same GrantId,
   * new token); otherwise a new grant is stored, within the per-key limit.
   */
  issue(spec: GrantSpec, now: number): Promise<IssuedGrant> {
    return this.exclusive(async () => {
      if (spec.name !== undefined) {
        const existing = this.onKey(spec.keyId).find(
          (g) => g.name === spec.name && sameSpec(g, spec),
        );
        if (existing) {
          const minted = mintGrantToken(existing.grantId);
          this.#changed.add(existing.keyId);
          await this.#store.addToken({ grantId: existing.grantId, tokenHash: minted.tokenHash });
          this.#index.addTokenHash(existing.grantId, minted.tokenHash);
          return { grant: existing, grantToken: minted.grantToken };
        }
      }
      // Precondition: a key holds at most grantsPerKey grants.
      if (this.#index.countOnKey(spec.keyId) >= this.#limit) {
        throw new LimitExceededException(
          `The request was rejected because the key already has the maximum number of grants (${this.#limit}).`,
        );
      }
      const grant: Grant = { ...spec, grantId: newGrantId(), createdAt: now };
      const minted = mintGrantToken(grant.grantId);
      this.#changed.add(grant.keyId);
      await this.#store.putGrant(grantToRow(grant), {
        grantId: grant.grantId,
        tokenHash: minted.tokenHash,
      });
      this.#index.add(grant, [minted.tokenHash]);
      return { grant, grantToken: minted.grantToken };
    });
  }

  /** Deletes a grant (retire or revoke). */
  remove(grantId: string): Promise<void> {
    return this.exclusive(async () => {
      const keyId = this.#index.get(grantId)?.keyId;
      if (keyId !== undefined) this.#changed.add(keyId);
      await this.#store.deleteGrant(grantId);
      this.#index.remove(grantId);
    });
  }
}

function sortByCreation(grants: Grant[]): Grant[] {
  return grants.sort((a, b) =>
    a.createdAt !== b.createdAt
      ? a.createdAt - b.createdAt
      : a.grantId < b.grantId
        ? -1
        : a.grantId > b.grantId
          ? 1
          : 0,
  );
}
