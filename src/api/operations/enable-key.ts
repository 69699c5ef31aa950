// EnableKey: Disabled → Enabled (key id or key ARN only). Enabling an Enabled key changes nothing.
import { resolveUsableKey } from '../../keys/resolve.js';
import { defineOperation } from '../services.js';

interface EnableKeyInput {
  KeyId: string;
}

export const enableKey = defineOperation<EnableKeyInput>(
  'EnableKey',
  (input, { caller, services }) =>
    services.keyring.exclusive(async () => {
      const key = resolveUsableKey(services, {
        ref: input.KeyId,
        caller,
        action: 'kms:EnableKey',
        rule: 'toggle',
        allowAlias: false,
      });
      if (key.row.state !== 'Enabled')
        await services.keyring.updateKey(key.row.keyId, { state: 'Enabled' });
      return {};
    }),
);
