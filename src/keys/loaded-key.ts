// The unwrapped form of a key's current material for non-symmetric specs (private KeyObject, HMAC secret,
// expanded post-quantum secret key), unwrapped once per material version and kept with the key by the
// keyring. Never logs material.
import type { LoadedKey } from '../crypto/key-material.js';
import type { Keyring, KmsKey } from './keyring.js';

export type { LoadedKey };

export function loadedKey(keyring: Keyring, key: KmsKey): LoadedKey {
  return keyring.loadedKey(key);
}

/** The DER SubjectPublicKeyInfo of an asymmetric key, or undefined for symmetric and HMAC keys. */
export function publicKeyDer(keyring: Keyring, key: KmsKey): Buffer | undefined {
  const loaded = loadedKey(keyring, key);
  return loaded.kind === 'secret' ? undefined : loaded.publicKeyDer;
}
