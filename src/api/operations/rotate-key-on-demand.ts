// RotateKeyOnDemand: adds a new material version now and makes it current, capped per key. The automatic
// schedule does not move. AWS completes this asynchronously; Trent completes it before answering.
import { ConflictException, LimitExceededException } from '../../errors.js';
import { resolveUsableKey } from '../../keys/resolve.js';
import {
  ON_DEMAND_CONFLICT_WINDOW_MS,
  requireRotatable,
  rotateKeyMaterial,
} from '../../keys/rotation.js';
import { defineOperation } from '../services.js';

interface RotateKeyOnDemandInput {
  KeyId: string;
}

export const rotateKeyOnDemand = defineOperation<RotateKeyOnDemandInput>(
  'RotateKeyOnDemand',
  (input, { caller, services }) =>
    services.keyring.exclusive(async () => {
      const key = resolveUsableKey(services, {
        ref: input.KeyId,
        caller,
        action: 'kms:RotateKeyOnDemand',
        rule: 'rotation',
        allowAlias: false,
      });
      requireRotatable(key);
      const limit = services.config.onDemandRotationLimit;
      // Precondition: a key may be rotated on demand at most onDemandRotationLimit times.
      if (key.row.onDemandRotations >= limit) {
        throw new LimitExceededException(
          `${key.arn} has reached the limit of ${String(limit)} on-demand rotations.`,
        );
      }
      const now = services.clock.now();
      // Precondition: no automatic rotation may be due within 20 minutes.
      const next = key.row.rotationEnabled ? key.row.nextRotationAt : null;
      if (next !== null && next - now <= ON_DEMAND_CONFLICT_WINDOW_MS) {
        throw new ConflictException(
          `${key.arn} has an automatic rotation due; try the on-demand rotation later.`,
        );
      }
      await rotateKeyMaterial(services.keyring, key, 'ON_DEMAND', now, {
        onDemandRotations: key.row.onDemandRotations + 1,
      });
      return { KeyId: key.row.keyId };
    }),
);
