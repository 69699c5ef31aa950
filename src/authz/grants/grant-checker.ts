// The grant side of authorization: whether a grant on the key lets the caller do the action. Grants
// only allow (never deny); the policy side combines this with key and identity policies. Reads only
// the in-memory registry.
import type { AuthorizationRequest, GrantChecker } from '../authorizer.js';
import { contextSatisfies, isAtLeastAsStrict } from './constraints.js';
import type { EncryptionContext, Grant, GrantOperation } from './grant.js';
import { CONTEXT_OPERATIONS, grantOperationOf } from './grant-operations.js';
import type { GrantRegistry } from './grant-registry.js';
import { callerKeys, matchPrincipal, type PrincipalMatch } from './principal-match.js';

/** The encryption context of a request, rebuilt from its kms:EncryptionContext… condition keys. */
export function requestContext(
  conditions: AuthorizationRequest['conditions'],
): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  const keys = conditions?.['kms:EncryptionContextKeys'];
  if (!Array.isArray(keys)) return out;
  for (const k of keys as readonly string[]) {
    const v = conditions?.[`kms:EncryptionContext:${k}`];
    if (typeof v === 'string') out[k] = v;
  }
  return out;
}

function isSubsetOf(operations: readonly string[], allowed: ReadonlySet<GrantOperation>): boolean {
  return operations.every((op) => (allowed as ReadonlySet<string>).has(op));
}

export class GrantAuthority implements GrantChecker {
  readonly #registry: GrantRegistry;

  constructor(registry: GrantRegistry) {
    this.#registry = registry;
  }

  /** Precondition: every grant token presented must be one this server issued for a live grant. */
  checkGrantTokens(grantTokens: readonly string[] | undefined): void {
    for (const token of grantTokens ?? []) this.#registry.grantOfToken(token);
  }

  /**
   * How a grant lets the caller do the action: 'principal' when a grant names the caller (or its
   * account and the caller is the account root), 'account' when a grant names only the caller's
   * account, so that the account's identity policies must also allow the action; else undefined.
   */
  match(request: AuthorizationRequest): PrincipalMatch | undefined {
    this.checkGrantTokens(request.grantTokens);
    const resource = request.resource;
    const operation = grantOperationOf(request.action);
    if (!resource || !operation) return undefined;
    const { caller } = request;
    const keys = [...new Set([...callerKeys(caller), `account:${caller.accountId}`])];
    let found: PrincipalMatch | undefined;
    for (const grant of this.#registry.forGrantee(resource.keyId, keys)) {
      if (!grant.operations.has(operation) || !this.#constraintsAllow(grant, operation, request))
        continue;
      const how = matchPrincipal(grant.granteePrincipal, caller);
      if (how === 'principal') return how;
      if (how === 'account') found = how;
    }
    return found;
  }

  allows(request: AuthorizationRequest): boolean {
    return this.match(request) === 'principal';
  }

  #constraintsAllow(
    grant: Grant,
    operation: GrantOperation,
    request: AuthorizationRequest,
  ): boolean {
    const constraints = grant.constraints;
    // The SourceArn constraint applies to every operation except RetireGrant.
    if (
      constraints?.sourceArn !== undefined &&
      operation !== 'RetireGrant' &&
      request.conditions?.['aws:SourceArn'] !== constraints.sourceArn
    ) {
      return false;
    }
    if (CONTEXT_OPERATIONS.has(operation)) {
      const context: EncryptionContext = requestContext(request.conditions);
      return contextSatisfies(constraints, context);
    }
    if (operation === 'CreateGrant') {
      // A grant's CreateGrant allows only grants for a subset of its operations, equally or more strict.
      const proposed = request.proposedGrant;
      return (
        proposed !== undefined &&
        isSubsetOf(proposed.operations, grant.operations) &&
        isAtLeastAsStrict(proposed.constraints, constraints)
      );
    }
    return true;
  }
}
