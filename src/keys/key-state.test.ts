import { describe, expect, it } from 'vitest';
import type { KeyState } from '../store/store.js';
import { stateError, type StateRule } from './key-state.js';

const ARN = 'arn:aws:kms:us-east-1:111122223333:key/00000000-0000-0000-0000-000000000000';

function outcome(rule: StateRule, state: KeyState): string {
  return stateError(rule, state, ARN)?.type ?? 'ok';
}

describe('stateError', () => {
  it('lets every state through the any rule', () => {
    for (const state of ['Enabled', 'Disabled', 'PendingDeletion', 'PendingImport'] as const) {
      expect(outcome('any', state)).toBe('ok');
    }
  });

  it('refuses cryptographic use of a Disabled key with DisabledException and its AWS message', () => {
    const err = stateError('use', 'Disabled', ARN);
    expect(err?.type).toBe('DisabledException');
    expect(err?.message).toBe(`${ARN} is disabled.`);
    expect(outcome('use', 'Enabled')).toBe('ok');
    expect(outcome('use', 'PendingDeletion')).toBe('KMSInvalidStateException');
  });

  it('refuses rotation changes on Disabled keys with DisabledException and pending deletion with KMSInvalidStateException', () => {
    expect(outcome('rotation', 'Enabled')).toBe('ok');
    expect(outcome('rotation', 'Disabled')).toBe('DisabledException');
    expect(outcome('rotation', 'PendingDeletion')).toBe('KMSInvalidStateException');
  });

  it('lets EnableKey and DisableKey act on Enabled and Disabled keys only', () => {
    expect(outcome('toggle', 'Enabled')).toBe('ok');
    expect(outcome('toggle', 'Disabled')).toBe('ok');
    expect(outcome('toggle', 'PendingDeletion')).toBe('KMSInvalidStateException');
    const err = stateError('toggle', 'PendingImport', ARN);
    expect(err?.type).toBe('KMSInvalidStateException');
    expect(err?.message).toBe(`${ARN} is pending import.`);
  });

  it('blocks management of a key pending deletion with the AWS message', () => {
    const err = stateError('manage', 'PendingDeletion', ARN);
    expect(err?.type).toBe('KMSInvalidStateException');
    expect(err?.message).toBe(`${ARN} is pending deletion.`);
    expect(outcome('manage', 'Disabled')).toBe('ok');
  });

  it('allows CancelKeyDeletion only while pending deletion', () => {
    expect(outcome('pendingDeletion', 'PendingDeletion')).toBe('ok');
    const err = stateError('pendingDeletion', 'Enabled', ARN);
    expect(err?.type).toBe('KMSInvalidStateException');
    expect(err?.message).toBe(`${ARN} is not pending deletion.`);
  });
});
