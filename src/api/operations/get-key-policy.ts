// GetKeyPolicy: the stored key policy document, exactly as it was set (the default policy byte for byte).
import { resolveUsableKey } from '../../keys/resolve.js';
import { defineOperation } from '../services.js';
import { DEFAULT_POLICY_NAME, requireDefaultPolicyName } from './key-policy-name.js';

interface GetKeyPolicyInput {
  KeyId: string;
  PolicyName?: string;
}

export const getKeyPolicy = defineOperation<GetKeyPolicyInput>(
  'GetKeyPolicy',
  (input, { caller, services }) => {
    const key = resolveUsableKey(services, {
      ref: input.KeyId,
      caller,
      action: 'kms:GetKeyPolicy',
      rule: 'any',
      allowAlias: false,
    });
    requireDefaultPolicyName(input.PolicyName);
    return { Policy: key.row.policy, PolicyName: DEFAULT_POLICY_NAME };
  },
);
