// Evaluates one compiled policy for one request: which statements allow, which deny. Never combines
// policies (the authorizer does) and never allocates on the way through a statement that does not apply.
import type { ConditionContext } from './condition.js';
import type { CompiledPolicy } from './compiled-policy.js';
import type { CallerIdentity, PrincipalMatch } from './principals.js';

export interface PolicyRequest {
  readonly caller: CallerIdentity;
  /** Lower-cased, e.g. 'kms:decrypt'. */
  readonly action: string;
  /** The resource ARN, or '*' for operations without one. */
  readonly resource: string;
  readonly context: ConditionContext;
}

export interface PolicyResult {
  /** 'direct' when an Allow names the caller (or '*', or any identity-policy Allow); 'account'
   * when the strongest Allow only trusts the caller's account. */
  readonly allow: PrincipalMatch;
  readonly deny: boolean;
}

const NO_MATCH: PolicyResult = { allow: 'none', deny: false };
const DENY: PolicyResult = { allow: 'none', deny: true };

export function evaluatePolicy(policy: CompiledPolicy, request: PolicyRequest): PolicyResult {
  let allow: PrincipalMatch = 'none';
  for (const st of policy.statements) {
    if (st.effect === 'Allow' && allow === 'direct') continue;
    if (!st.action(request.action) || !st.resource(request.resource)) continue;
    const principal = st.principal ? st.principal(request.caller) : 'direct';
    if (principal === 'none') continue;
    if (st.condition && !st.condition(request.context)) continue;
    // An explicit deny ends the evaluation: nothing can override it.
    if (st.effect === 'Deny') return DENY;
    if (principal === 'direct' || allow === 'none') allow = principal;
  }
  return allow === 'none' ? NO_MATCH : { allow, deny: false };
}
