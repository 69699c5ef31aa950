// The in-memory index of every grant: by id, by key, by key and grantee (the authorization hot path)
// and by retiring principal. No I/O; the registry keeps it coherent with the store.
import type { Grant } from './grant.js';
import { principalKey } from './principal-match.js';

interface Entry {
  readonly grant: Grant;
  readonly tokenHashes: Buffer[];
}

function addTo<K, V>(map: Map<K, Map<string, V>>, key: K, id: string, value: V): void {
  let inner = map.get(key);
  if (!inner) {
    inner = new Map();
    map.set(key, inner);
  }
  inner.set(id, value);
}

function removeFrom<K>(map: Map<K, Map<string, unknown>>, key: K, id: string): void {
  const inner = map.get(key);
  if (!inner) return;
  inner.delete(id);
  if (inner.size === 0) map.delete(key);
}

export class GrantIndex {
  readonly #entries = new Map<string, Entry>();
  readonly #byKey = new Map<string, Map<string, Grant>>();
  /** keyId → principal key of the grantee → grants. */
  readonly #byGrantee = new Map<string, Map<string, Map<string, Grant>>>();
  /** principal key of the retiring principal → grants. */
  readonly #byRetiring = new Map<string, Map<string, Grant>>();

  clear(): void {
    this.#entries.clear();
    this.#byKey.clear();
    this.#byGrantee.clear();
    this.#byRetiring.clear();
  }

  add(grant: Grant, tokenHashes: Buffer[]): void {
    this.#entries.set(grant.grantId, { grant, tokenHashes });
    addTo(this.#byKey, grant.keyId, grant.grantId, grant);
    if (grant.granteePrincipal !== undefined) {
      let perKey = this.#byGrantee.get(grant.keyId);
      if (!perKey) {
        perKey = new Map();
        this.#byGrantee.set(grant.keyId, perKey);
      }
      addTo(perKey, principalKey(grant.granteePrincipal), grant.grantId, grant);
    }
    if (grant.retiringPrincipal !== undefined)
      addTo(this.#byRetiring, principalKey(grant.retiringPrincipal), grant.grantId, grant);
  }

  remove(grantId: string): void {
    const entry = this.#entries.get(grantId);
    if (!entry) return;
    const { grant } = entry;
    this.#entries.delete(grantId);
    removeFrom(this.#byKey, grant.keyId, grantId);
    if (grant.granteePrincipal !== undefined) {
      const perKey = this.#byGrantee.get(grant.keyId);
      if (perKey) {
        removeFrom(perKey, principalKey(grant.granteePrincipal), grantId);
        if (perKey.size === 0) this.#byGrantee.delete(grant.keyId);
      }
    }
    if (grant.retiringPrincipal !== undefined)
      removeFrom(this.#byRetiring, principalKey(grant.retiringPrincipal), grantId);
  }

  /** Drops every grant of a key (the key is gone). */
  removeKey(keyId: string): void {
    for (const id of [...(this.#byKey.get(keyId)?.keys() ?? [])]) this.remove(id);
  }

  get(grantId: string): Grant | undefined {
    return this.#entries.get(grantId)?.grant;
  }

  tokenHashes(grantId: string): readonly Buffer[] {
    return this.#entries.get(grantId)?.tokenHashes ?? [];
  }

  addTokenHash(grantId: string, tokenHash: Buffer): void {
    this.#entries.get(grantId)?.tokenHashes.push(tokenHash);
  }

  onKey(keyId: string): IterableIterator<Grant> | undefined {
    return this.#byKey.get(keyId)?.values();
  }

  countOnKey(keyId: string): number {
    return this.#byKey.get(keyId)?.size ?? 0;
  }

  /** Grants on a key whose grantee has one of the principal keys. */
  forGrantee(keyId: string, keys: readonly string[]): Grant[] {
    const perKey = this.#byGrantee.get(keyId);
    if (!perKey) return [];
    const out: Grant[] = [];
    for (const k of keys) {
      const grants = perKey.get(k);
      if (grants) out.push(...grants.values());
    }
    return out;
  }

  /** Grants whose retiring principal names the same identity as `retiringPrincipal`. */
  retirableBy(retiringPrincipal: string): Grant[] {
    return [...(this.#byRetiring.get(principalKey(retiringPrincipal))?.values() ?? [])];
  }

  keyIds(): string[] {
    return [...this.#byKey.keys()];
  }
}
