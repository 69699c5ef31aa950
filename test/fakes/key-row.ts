// A key's metadata row for tests of the keyring and the store: an enabled symmetric key.
import type { KeyRow } from '../../src/store/store.js';

export function keyRow(keyId: string, overrides: Partial<KeyRow> = {}): KeyRow {
  return {
    keyId,
    accountId: '111122223333',
    region: 'us-east-1',
    createdAt: 0,
    description: '',
    keySpec: 'SYMMETRIC_DEFAULT',
    keyUsage: 'ENCRYPT_DECRYPT',
    origin: 'AWS_KMS',
    state: 'Enabled',
    policy: '{}',
    deletionDate: null,
    pendingWindowInDays: null,
    rotationEnabled: false,
    rotationPeriodInDays: null,
    nextRotationAt: null,
    currentVersion: '00',
    onDemandRotations: 0,
    ...overrides,
  };
}
