import { describe, expect, it } from 'vitest';
import type { KeyRow } from '../store/store.js';
import { DAY_MS } from './clock.js';
import type { KmsKey } from './keyring.js';
import { isRotatable, requireRotatable, rescheduledRotation } from './rotation.js';

function keyWith(patch: Partial<KeyRow>): KmsKey {
  const row = {
    keyId: '00000000-0000-0000-0000-000000000000',
    keySpec: 'SYMMETRIC_DEFAULT',
    keyUsage: 'ENCRYPT_DECRYPT',
    origin: 'AWS_KMS',
    ...patch,
  } as KeyRow;
  return { row, arn: `arn:aws:kms:us-east-1:111122223333:key/${row.keyId}` } as KmsKey;
}

describe('isRotatable', () => {
  it('allows symmetric encryption keys with KMS-made material', () => {
    expect(isRotatable(keyWith({}))).toBe(true);
  });

  it('refuses asymmetric, HMAC and imported keys with UnsupportedOperationException', () => {
    for (const patch of [
      { keySpec: 'RSA_2048', keyUsage: 'ENCRYPT_DECRYPT' },
      { keySpec: 'HMAC_256', keyUsage: 'GENERATE_VERIFY_MAC' },
      { origin: 'EXTERNAL' },
    ]) {
      const key = keyWith(patch);
      expect(isRotatable(key)).toBe(false);
      expect(() => {
        requireRotatable(key);
      }).toThrow(expect.objectContaining({ type: 'UnsupportedOperationException' }) as Error);
    }
  });
});

describe('rescheduledRotation', () => {
  it('keeps the base date and applies the new period', () => {
    const enabledAt = Date.UTC(2026, 0, 1);
    const next = enabledAt + 365 * DAY_MS;
    expect(rescheduledRotation(next, 365, 90)).toBe(enabledAt + 90 * DAY_MS);
    expect(rescheduledRotation(next, 365, 730)).toBe(enabledAt + 730 * DAY_MS);
  });
});
