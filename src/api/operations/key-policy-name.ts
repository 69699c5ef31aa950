// The one key policy name AWS supports.
import { NotFoundException } from '../../errors.js';

export const DEFAULT_POLICY_NAME = 'default';

/** Precondition: PolicyName, when given, must be `default`. */
export function requireDefaultPolicyName(policyName: string | undefined): void {
  if (policyName !== undefined && policyName !== DEFAULT_POLICY_NAME) {
    throw new NotFoundException(`No such policy exists: ${policyName}`);
  }
}
