// Test helpers that put a key into a state directly through the keyring (for states whose operations
// are tested elsewhere), and create keys with known material so tests can recompute results.
import type { KeyState } from '../../src/store/store.js';
import type { Harness } from './harness.js';

export async function setKeyState(h: Harness, keyId: string, state: KeyState): Promise<void> {
  const deletionDate = state === 'PendingDeletion' ? Date.now() + 7 * 86_400_000 : null;
  await h.trent.services.keyring.updateKey(keyId, { state, deletionDate });
}

/** Replaces a fresh key's only material with `plaintext` (as a seed file would pin it). */
export async function pinMaterial(h: Harness, keyId: string, plaintext: Buffer): Promise<void> {
  const { keyring, clock } = h.trent.services;
  const material = keyring.newMaterial(keyId, clock.now(), null, plaintext);
  await keyring.updateKey(keyId, { currentVersion: material.version }, material);
}
