// How the key policy and the caller's identity policies combine into one decision (AWS KMS key policy
// evaluation; IAM policy evaluation logic). Grants are consulted by the caller of decide, only when
// this answers "not allowed" without an explicit deny. Never throws.
import type { DenialReason } from './access-denied.js';
import type { CompiledPolicy } from './policy/compiled-policy.js';
import { evaluatePolicy, type PolicyRequest } from './policy/evaluate-policy.js';

export type Decision =
  { readonly allowed: true } | { readonly allowed: false; readonly reason: DenialReason };

const ALLOWED: Decision = { allowed: true };

export interface DecisionInput {
  readonly request: PolicyRequest;
  /** The caller's identity policies; the account root has none and is not limited by them. */
  readonly identityPolicies: readonly CompiledPolicy[];
  /** The key's policy and owning account, absent for operations without a key resource. */
  readonly key: { readonly policy: CompiledPolicy; readonly accountId: string } | undefined;
}

export function decide(input: DecisionInput): Decision {
  const { request, identityPolicies, key } = input;
  const caller = request.caller;
  let identityAllows = caller.isRoot;
  for (const policy of identityPolicies) {
    const result = evaluatePolicy(policy, request);
    if (result.deny) return { allowed: false, reason: 'explicit-deny-identity' };
    if (result.allow !== 'none') identityAllows = true;
  }
  // Operations without a key resource are authorized by identity policies alone.
  if (!key) return identityAllows ? ALLOWED : { allowed: false, reason: 'no-identity-policy' };
  const keyResult = evaluatePolicy(key.policy, request);
  if (keyResult.deny) return { allowed: false, reason: 'explicit-deny-resource' };
  if (keyResult.allow === 'none') return { allowed: false, reason: 'no-resource-policy' };
  // Same account: a key policy that names the caller is enough; one that trusts the account
  // delegates to identity policies. Another account: the key policy and the caller's own identity
  // policies must both allow.
  const sameAccount = key.accountId === caller.accountId;
  if (sameAccount && keyResult.allow === 'direct') return ALLOWED;
  return identityAllows ? ALLOWED : { allowed: false, reason: 'no-identity-policy' };
}
