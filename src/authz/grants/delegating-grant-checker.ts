// The GrantChecker the policy side consults: a grant naming the caller allows at once; a grant naming
// only the caller's account allows when the account's identity policies also allow the action on the
// key, as IAM delegation works for an account principal.
import type { AuthorizationRequest, GrantChecker } from '../authorizer.js';
import type { GrantAuthority } from './grant-checker.js';

/** Whether the caller's identity policies alone allow the request (no key policy, no grants). */
export type IdentityPolicyCheck = (request: AuthorizationRequest) => boolean;

export function delegatingGrantChecker(
  grants: GrantAuthority,
  identityAllows: IdentityPolicyCheck,
): GrantChecker {
  return {
    allows(request) {
      const how = grants.match(request);
      if (how === 'principal') return true;
      return how === 'account' && identityAllows(request);
    },
  };
}
