// DisableKeyRotation: turns off automatic rotation; existing material versions stay.
import { resolveUsableKey } from '../../keys/resolve.js';
import { requireRotatable } from '../../keys/rotation.js';
import { defineOperation } from '../services.js';

interface DisableKeyRotationInput {
  KeyId: string;
}

export const disableKeyRotation = defineOperation<DisableKeyRotationInput>(
  'DisableKeyRotation',
  (input, { caller, services }) =>
    services.keyring.exclusive(async () => {
      const key = resolveUsableKey(services, {
        ref: input.KeyId,
        caller,
        action: 'kms:DisableKeyRotation',
        rule: 'rotation',
        allowAlias: false,
      });
      requireRotatable(key);
      await services.keyring.updateKey(key.row.keyId, {
        rotationEnabled: false,
        rotationPeriodInDays: null,
        nextRotationAt: null,
      });
      return {};
    }),
);
