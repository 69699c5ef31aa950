// CancelKeyDeletion: PendingDeletion → Disabled (AWS never re-enables a key on cancel).
import { resolveUsableKey } from '../../keys/resolve.js';
import { defineOperation } from '../services.js';

interface CancelKeyDeletionInput {
  KeyId: string;
}

export const cancelKeyDeletion = defineOperation<CancelKeyDeletionInput>(
  'CancelKeyDeletion',
  (input, { caller, services }) =>
    services.keyring.exclusive(async () => {
      const key = resolveUsableKey(services, {
        ref: input.KeyId,
        caller,
        action: 'kms:CancelKeyDeletion',
        rule: 'pendingDeletion',
        allowAlias: false,
      });
      await services.keyring.updateKey(key.row.keyId, {
        state: 'Disabled',
        deletionDate: null,
        pendingWindowInDays: null,
      });
      return { KeyId: key.arn };
    }),
);
