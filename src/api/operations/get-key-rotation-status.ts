// GetKeyRotationStatus: whether automatic rotation is on, its period and next date. A key pending
// deletion reports false (its setting returns when the deletion is cancelled).
import { resolveUsableKey } from '../../keys/resolve.js';
import { requireRotatable } from '../../keys/rotation.js';
import { defineOperation, epochSeconds, type WireObject } from '../services.js';

interface GetKeyRotationStatusInput {
  KeyId: string;
}

export const getKeyRotationStatus = defineOperation<GetKeyRotationStatusInput>(
  'GetKeyRotationStatus',
  (input, { caller, services }) => {
    const key = resolveUsableKey(services, {
      ref: input.KeyId,
      caller,
      action: 'kms:GetKeyRotationStatus',
      rule: 'any',
      allowAlias: false,
    });
    requireRotatable(key);
    const { row } = key;
    const enabled = row.rotationEnabled && row.state !== 'PendingDeletion';
    const out: WireObject = { KeyRotationEnabled: enabled, KeyId: row.keyId };
    if (enabled) {
      if (row.rotationPeriodInDays !== null) out.RotationPeriodInDays = row.rotationPeriodInDays;
      if (row.nextRotationAt !== null) out.NextRotationDate = epochSeconds(row.nextRotationAt);
    }
    return out;
  },
);
