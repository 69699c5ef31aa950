// Grant constraint matching (REFERENCE.md §11.4): EncryptionContextEquals wants the request context to
// be exactly the constraint, EncryptionContextSubset wants it to contain the constraint's pairs. Keys
// compare case-insensitively, values case-sensitively. Also decides "equally or more strict" for
// grants created through a grant's CreateGrant permission.
import type { EncryptionContext, GrantConstraints } from './grant.js';

/** Pairs keyed by lower-cased key; a context may hold keys that differ only by case. */
type FoldedContext = ReadonlyMap<string, readonly string[]>;

function fold(context: EncryptionContext): FoldedContext {
  const out = new Map<string, string[]>();
  for (const [k, v] of Object.entries(context)) {
    const key = k.toLowerCase();
    const values = out.get(key);
    if (values) values.push(v);
    else out.set(key, [v]);
  }
  return out;
}

function pairCount(context: FoldedContext): number {
  let n = 0;
  for (const values of context.values()) n += values.length;
  return n;
}

/** Whether every pair of `required` appears in `context` (key case-insensitive, value exact). */
function contains(context: FoldedContext, required: FoldedContext): boolean {
  for (const [key, values] of required) {
    const present = context.get(key);
    if (!present) return false;
    for (const v of values) if (!present.includes(v)) return false;
  }
  return true;
}

function equal(a: FoldedContext, b: FoldedContext): boolean {
  return pairCount(a) === pairCount(b) && contains(a, b) && contains(b, a);
}

/** Whether a request with `context` satisfies the encryption-context constraints of a grant. */
export function contextSatisfies(
  constraints: GrantConstraints | undefined,
  context: EncryptionContext,
): boolean {
  if (!constraints) return true;
  const request = fold(context);
  if (
    constraints.encryptionContextEquals &&
    !equal(request, fold(constraints.encryptionContextEquals))
  ) {
    return false;
  }
  if (
    constraints.encryptionContextSubset &&
    !contains(request, fold(constraints.encryptionContextSubset))
  ) {
    return false;
  }
  return true;
}

export function hasContextConstraint(constraints: GrantConstraints | undefined): boolean {
  return (
    constraints?.encryptionContextEquals !== undefined ||
    constraints?.encryptionContextSubset !== undefined
  );
}

/**
 * Whether every request `child` allows is also allowed by `parent`, for the encryption-context part:
 * the rule for a grant created with the CreateGrant permission of another grant.
 */
export function isAtLeastAsStrict(
  child: GrantConstraints | undefined,
  parent: GrantConstraints | undefined,
): boolean {
  if (parent?.sourceArn !== undefined && child?.sourceArn !== parent.sourceArn) return false;
  if (!hasContextConstraint(parent)) return true;
  const parentEquals = parent?.encryptionContextEquals
    ? fold(parent.encryptionContextEquals)
    : undefined;
  const parentSubset = parent?.encryptionContextSubset
    ? fold(parent.encryptionContextSubset)
    : undefined;
  if (child?.encryptionContextEquals) {
    // The child admits exactly one context (if it also satisfies its own subset): that one must pass.
    const only = fold(child.encryptionContextEquals);
    if (parentEquals && !equal(only, parentEquals)) return false;
    if (parentSubset && !contains(only, parentSubset)) return false;
    return true;
  }
  // The child admits every superset of its subset pairs: the parent must not require exact equality.
  if (parentEquals || !child?.encryptionContextSubset || !parentSubset) return false;
  return contains(fold(child.encryptionContextSubset), parentSubset);
}

/** Whether two constraint sets are the same (for idempotent CreateGrant retries). */
export function sameConstraints(
  a: GrantConstraints | undefined,
  b: GrantConstraints | undefined,
): boolean {
  return isAtLeastAsStrict(a, b) && isAtLeastAsStrict(b, a) && a?.sourceArn === b?.sourceArn;
}
