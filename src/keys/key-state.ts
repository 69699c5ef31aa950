// Which operations a key's state allows (AWS KMS Developer Guide "Key states", REFERENCE.md §10.2),
// and the exception each refusal raises.
import { DisabledException, KMSInvalidStateException, type KmsError } from '../errors.js';
import type { KeyState } from '../store/store.js';

export type { KeyState };

/** How an operation treats a key's state. */
export type StateRule =
  /** crypto use: Enabled only (Disabled → DisabledException). */
  | 'use'
  /** allowed in every state. */
  | 'any'
  /** management that a pending deletion blocks (tags, description, ScheduleKeyDeletion). */
  | 'manage'
  /** EnableKey / DisableKey: also blocked while pending import, creating or updating. */
  | 'toggle'
  /** only while pending deletion (CancelKeyDeletion). */
  | 'pendingDeletion'
  /** rotation settings: Enabled only, Disabled → DisabledException. */
  | 'rotation';

function stateMessage(arn: string, state: KeyState): string {
  switch (state) {
    case 'Disabled':
      return `${arn} is disabled.`;
    case 'PendingDeletion':
    case 'PendingReplicaDeletion':
      return `${arn} is pending deletion.`;
    case 'PendingImport':
      return `${arn} is pending import.`;
    case 'Unavailable':
      return `${arn} is unavailable.`;
    case 'Creating':
      return `${arn} is creating.`;
    case 'Updating':
      return `${arn} is updating.`;
    case 'Enabled':
      return `${arn} is enabled.`;
  }
}

/** Returns the error a key in `state` gives for an operation with `rule`, or undefined when allowed. */
export function stateError(rule: StateRule, state: KeyState, arn: string): KmsError | undefined {
  switch (rule) {
    case 'any':
      return undefined;
    case 'use':
    case 'rotation':
      if (state === 'Enabled' || state === 'Updating') return undefined;
      if (state === 'Disabled') return new DisabledException(stateMessage(arn, state));
      return new KMSInvalidStateException(stateMessage(arn, state));
    case 'manage':
      if (state === 'PendingDeletion' || state === 'PendingReplicaDeletion') {
        return new KMSInvalidStateException(stateMessage(arn, state));
      }
      return undefined;
    case 'toggle':
      if (state === 'Enabled' || state === 'Disabled' || state === 'Unavailable') return undefined;
      return new KMSInvalidStateException(stateMessage(arn, state));
    case 'pendingDeletion':
      if (state === 'PendingDeletion' || state === 'PendingReplicaDeletion') return undefined;
      return new KMSInvalidStateException(`${arn} is not pending deletion.`);
  }
}
