// The checks every stored key policy passes without a caller: the policy grammar, allowed characters
// and AWS's 32 KB limit. Principal existence and the lockout check need a caller and the principal
// directory: Authorizer.checkKeyPolicy does them for CreateKey and PutKeyPolicy.
import { parsePolicy } from '../authz/policy/parse-policy.js';

export function checkPolicyDocument(policy: string): void {
  parsePolicy(policy, 'key');
}
