// PutKeyPolicy: replaces the key policy document after the policy checks (keys/policy-document.ts).
import { checkPolicyDocument } from '../../keys/policy-document.js';
import { resolveUsableKey } from '../../keys/resolve.js';
import { defineOperation } from '../services.js';
import { requireDefaultPolicyName } from './key-policy-name.js';

interface PutKeyPolicyInput {
  KeyId: string;
  PolicyName?: string;
  Policy: string;
  BypassPolicyLockoutSafetyCheck?: boolean;
}

export const putKeyPolicy = defineOperation<PutKeyPolicyInput>(
  'PutKeyPolicy',
  (input, { caller, services }) =>
    services.keyring.exclusive(async () => {
      const key = resolveUsableKey(services, {
        ref: input.KeyId,
        caller,
        action: 'kms:PutKeyPolicy',
        rule: 'any',
        allowAlias: false,
      });
      requireDefaultPolicyName(input.PolicyName);
      checkPolicyDocument(input.Policy);
      await services.keyring.updateKey(key.row.keyId, { policy: input.Policy });
      return {};
    }),
);
