// Symmetric encryption under a KMS key: seals with the current material, opens with whichever material
// version the blob names. Every failure to open is the one InvalidCiphertextException.
import { invalidCiphertext } from '../errors.js';
import {
  blobKeyId,
  blobMaterialVersion,
  checkBlob,
  openCiphertextBlob,
  sealCiphertextBlobUnder,
} from '../crypto/ciphertext-blob.js';
import type { EncryptionContext } from '../crypto/encryption-context.js';
import { materialOf } from './key-entry.js';
import type { Keyring, KmsKey, Material } from './keyring.js';

export interface Sealed {
  readonly ciphertextBlob: Buffer;
  readonly material: Material;
}

export function currentMaterial(key: KmsKey): Material {
  const m = materialOf(key, key.row.currentVersion);
  if (!m) throw new Error(`key ${key.row.keyId} has no current material`);
  return m;
}

export function sealWithKey(
  keyring: Keyring,
  key: KmsKey,
  plaintext: Buffer,
  context: EncryptionContext | undefined,
): Sealed {
  const material = currentMaterial(key);
  const secret = keyring.materialKey(key, material.version);
  if (!secret) throw new Error(`key ${key.row.keyId} material cannot be unwrapped`);
  // The header is written from the key id and version on each seal: no per-key copy to keep.
  const ciphertextBlob = sealCiphertextBlobUnder(
    secret,
    key.row.keyId,
    material.version,
    plaintext,
    context,
  );
  return { ciphertextBlob, material };
}

/** The key a blob names, or InvalidCiphertextException when the blob is malformed or names no key. */
export function keyOfBlob(keyring: Keyring, blob: Buffer): KmsKey {
  const key = keyring.get(blobKeyId(blob));
  if (!key) throw invalidCiphertext();
  return key;
}

export interface Opened {
  readonly plaintext: Buffer;
  readonly material: Material;
}

/** Opens a blob with the key it names (already resolved, authorized and state-checked). */
export function openWithKey(
  keyring: Keyring,
  key: KmsKey,
  blob: Buffer,
  context: EncryptionContext | undefined,
): Opened {
  checkBlob(blob);
  const version = blobMaterialVersion(blob);
  const material = materialOf(key, version);
  const secret = material ? keyring.materialKey(key, version) : undefined;
  if (!material || !secret) throw invalidCiphertext();
  return { plaintext: openCiphertextBlob(secret, blob, context), material };
}
