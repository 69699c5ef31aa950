// DisableKey: Enabled → Disabled (key id or key ARN only); every cryptographic use then fails with
// DisabledException. Disabling a Disabled key changes nothing.
import { resolveUsableKey } from '../../keys/resolve.js';
import { defineOperation } from '../services.js';

interface DisableKeyInput {
  KeyId: string;
}

export const disableKey = defineOperation<DisableKeyInput>(
  'DisableKey',
  (input, { caller, services }) =>
    services.keyring.exclusive(async () => {
      const key = resolveUsableKey(services, {
        ref: input.KeyId,
        caller,
        action: 'kms:DisableKey',
        rule: 'toggle',
        allowAlias: false,
      });
      if (key.row.state !== 'Disabled')
        await services.keyring.updateKey(key.row.keyId, { state: 'Disabled' });
      return {};
    }),
);
