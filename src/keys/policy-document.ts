// The checks every stored key policy passes: the policy grammar, allowed characters and AWS's 32 KB
// limit. Principal existence and the lockout check need a caller: Authorizer.checkKeyPolicy does them.
import { MAX_POLICY_BYTES, parsePolicy } from '../authz/policy/parse-policy.js';

export { MAX_POLICY_BYTES };

export function checkPolicyDocument(policy: string): void {
  parsePolicy(policy, 'key');
}
