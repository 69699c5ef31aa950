// Key material rotation: which keys may rotate, when the next automatic rotation falls, and the one step
// that adds a material version and makes it current. Old versions are never removed here.
import { randomFillSync } from 'node:crypto';
import { UnsupportedOperationException } from '../errors.js';
import { keySpecs } from '../crypto/key-specs.js';
import { DAY_MS } from './clock.js';
import type { Keyring, KmsKey, Material } from './keyring.js';

export const DEFAULT_ROTATION_PERIOD_IN_DAYS = 365;

/** An automatic rotation due this close to now makes RotateKeyOnDemand a ConflictException (AWS). */
export const ON_DEMAND_CONFLICT_WINDOW_MS = 20 * 60 * 1000;

/** Rotation (automatic and on demand) is for symmetric encryption keys with KMS-generated material. */
export function isRotatable(key: KmsKey): boolean {
  return (
    keySpecs.get(key.row.keySpec)?.canRotate === true &&
    key.row.keyUsage === 'ENCRYPT_DECRYPT' &&
    key.row.origin === 'AWS_KMS'
  );
}

/** Precondition: the key type must support rotation (REFERENCE.md §10.2 footnote 7). */
export function requireRotatable(key: KmsKey): void {
  if (!isRotatable(key)) {
    throw new UnsupportedOperationException(
      `${key.arn} key spec ${key.row.keySpec} with origin ${key.row.origin} does not support key rotation.`,
    );
  }
}

/**
 * The next automatic rotation when the period changes on a key that already rotates: the same base date
 * (the last automatic rotation, or the day rotation was enabled) plus the new period.
 */
export function rescheduledRotation(
  nextRotationAt: number,
  oldPeriodInDays: number,
  newPeriodInDays: number,
): number {
  return nextRotationAt - oldPeriodInDays * DAY_MS + newPeriodInDays * DAY_MS;
}

/**
 * Adds a fresh material version to the key and makes it current, durably, with `patch` applied to the
 * key in the same write. Call inside keyring.exclusive().
 */
export async function rotateKeyMaterial(
  keyring: Keyring,
  key: KmsKey,
  rotationType: NonNullable<Material['rotationType']>,
  now: number,
  patch: Parameters<Keyring['updateKey']>[1] = {},
): Promise<KmsKey> {
  // Material versions are ordered by creation time; keep that order strict within one millisecond.
  const newest = key.materials[key.materials.length - 1];
  const createdAt = newest !== undefined && newest.createdAt >= now ? newest.createdAt + 1 : now;
  const plaintext = Buffer.alloc(32);
  let material: Material;
  try {
    randomFillSync(plaintext);
    material = keyring.newMaterial(key.row.keyId, createdAt, rotationType, plaintext);
  } finally {
    plaintext.fill(0);
  }
  return keyring.updateKey(key.row.keyId, { ...patch, currentVersion: material.version }, material);
}
