// UpdateKeyDescription: replaces a key's description (key id or key ARN only; not while pending deletion).
import { resolveUsableKey } from '../../keys/resolve.js';
import { defineOperation } from '../services.js';

interface UpdateKeyDescriptionInput {
  KeyId: string;
  Description: string;
}

export const updateKeyDescription = defineOperation<UpdateKeyDescriptionInput>(
  'UpdateKeyDescription',
  (input, { caller, services }) =>
    services.keyring.exclusive(async () => {
      const key = resolveUsableKey(services, {
        ref: input.KeyId,
        caller,
        action: 'kms:UpdateKeyDescription',
        rule: 'manage',
        allowAlias: false,
      });
      await services.keyring.updateKey(key.row.keyId, { description: input.Description });
      return {};
    }),
);
