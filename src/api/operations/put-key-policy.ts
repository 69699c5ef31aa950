// PutKeyPolicy: replaces the key policy document after the authorizer's policy checks (grammar, size,
// principals, lockout safety).
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
        conditions: {
          'kms:BypassPolicyLockoutSafetyCheck': input.BypassPolicyLockoutSafetyCheck ?? false,
        },
      });
      requireDefaultPolicyName(input.PolicyName);
      services.authorizer.checkKeyPolicy({
        caller,
        policy: input.Policy,
        keyArn: key.arn,
        keyId: key.row.keyId,
        accountId: key.row.accountId,
        bypassLockoutCheck: input.BypassPolicyLockoutSafetyCheck === true,
      });
      await services.keyring.updateKey(key.row.keyId, { policy: input.Policy });
      return {};
    }),
);
