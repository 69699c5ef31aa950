// ScheduleKeyDeletion: PendingDeletion with a 7–30 day window (default 30); the scheduler destroys the key
// when the window has passed. The model allows 1–365 but the service enforces 7–30.
import { ValidationException } from '../../errors.js';
import { DAY_MS } from '../../keys/clock.js';
import { resolveUsableKey } from '../../keys/resolve.js';
import { defineOperation, epochSeconds } from '../services.js';

export const MIN_PENDING_WINDOW_IN_DAYS = 7;
export const MAX_PENDING_WINDOW_IN_DAYS = 30;

interface ScheduleKeyDeletionInput {
  KeyId: string;
  PendingWindowInDays?: number;
}

/** Precondition: the pending window must be 7–30 days. */
function checkPendingWindow(days: number): void {
  const constraint =
    days < MIN_PENDING_WINDOW_IN_DAYS
      ? `greater than or equal to ${String(MIN_PENDING_WINDOW_IN_DAYS)}`
      : days > MAX_PENDING_WINDOW_IN_DAYS
        ? `less than or equal to ${String(MAX_PENDING_WINDOW_IN_DAYS)}`
        : undefined;
  if (constraint !== undefined) {
    throw new ValidationException(
      `1 validation error detected: Value '${String(days)}' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value ${constraint}`,
    );
  }
}

export const scheduleKeyDeletion = defineOperation<ScheduleKeyDeletionInput>(
  'ScheduleKeyDeletion',
  (input, { caller, services }) => {
    const days = input.PendingWindowInDays ?? MAX_PENDING_WINDOW_IN_DAYS;
    checkPendingWindow(days);
    return services.keyring.exclusive(async () => {
      const key = resolveUsableKey(services, {
        ref: input.KeyId,
        caller,
        action: 'kms:ScheduleKeyDeletion',
        rule: 'manage',
        allowAlias: false,
        conditions: { 'kms:ScheduleKeyDeletionPendingWindowInDays': days },
      });
      const deletionDate = services.clock.now() + days * DAY_MS;
      await services.keyring.updateKey(key.row.keyId, {
        state: 'PendingDeletion',
        deletionDate,
        pendingWindowInDays: days,
      });
      return {
        KeyId: key.arn,
        DeletionDate: epochSeconds(deletionDate),
        KeyState: 'PendingDeletion',
        PendingWindowInDays: days,
      };
    });
  },
);
