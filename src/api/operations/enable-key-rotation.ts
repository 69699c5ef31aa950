// EnableKeyRotation: turns on automatic rotation (period 90–2560 days, default 365) of a symmetric
// AWS_KMS key. The first rotation falls one period after enabling; calling again changes the period.
import { DAY_MS } from '../../keys/clock.js';
import { resolveUsableKey } from '../../keys/resolve.js';
import {
  DEFAULT_ROTATION_PERIOD_IN_DAYS,
  requireRotatable,
  rescheduledRotation,
} from '../../keys/rotation.js';
import { defineOperation } from '../services.js';

interface EnableKeyRotationInput {
  KeyId: string;
  RotationPeriodInDays?: number;
}

export const enableKeyRotation = defineOperation<EnableKeyRotationInput>(
  'EnableKeyRotation',
  (input, { caller, services }) =>
    services.keyring.exclusive(async () => {
      const periodInDays = input.RotationPeriodInDays ?? DEFAULT_ROTATION_PERIOD_IN_DAYS;
      const key = resolveUsableKey(services, {
        ref: input.KeyId,
        caller,
        action: 'kms:EnableKeyRotation',
        rule: 'rotation',
        allowAlias: false,
        conditions: { 'kms:RotationPeriodInDays': periodInDays },
      });
      requireRotatable(key);
      const { row } = key;
      const nextRotationAt =
        row.rotationEnabled && row.nextRotationAt !== null && row.rotationPeriodInDays !== null
          ? rescheduledRotation(row.nextRotationAt, row.rotationPeriodInDays, periodInDays)
          : services.clock.now() + periodInDays * DAY_MS;
      await services.keyring.updateKey(row.keyId, {
        rotationEnabled: true,
        rotationPeriodInDays: periodInDays,
        nextRotationAt,
      });
      return {};
    }),
);
