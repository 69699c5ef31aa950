// The unwrapped form of a key's current material for non-symmetric specs (private KeyObject, HMAC secret,
// expanded post-quantum secret key), unwrapped once per material version and cached beside it. Never logs material.
import { keySpecRow } from '../crypto/key-specs.js';
import { loadMaterial, type LoadedKey } from '../crypto/key-material.js';
import type { Keyring, KmsKey, Material } from './keyring.js';
import { currentMaterial } from './symmetric.js';

const cache = new WeakMap<Material, LoadedKey>();

export type { LoadedKey };

export function loadedKey(keyring: Keyring, key: KmsKey): LoadedKey {
  const material = currentMaterial(key);
  const cached = cache.get(material);
  if (cached) return cached;
  const bytes = keyring.materialBytes(key, material.version);
  if (!bytes) throw new Error(`key ${key.row.keyId} material cannot be unwrapped`);
  try {
    const loaded = loadMaterial(keySpecRow(key.row.keySpec), bytes);
    cache.set(material, loaded);
    return loaded;
  } finally {
    bytes.fill(0);
  }
}

/** The DER SubjectPublicKeyInfo of an asymmetric key, or undefined for symmetric and HMAC keys. */
export function publicKeyDer(keyring: Keyring, key: KmsKey): Buffer | undefined {
  const loaded = loadedKey(keyring, key);
  return loaded.kind === 'secret' ? undefined : loaded.publicKeyDer;
}
