// The root of trust: wraps and unwraps key material with AES-256-GCM, binding the key id and material
// version as AAD. The root key lives only in a KeyObject; it is never logged or returned.
import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { openAesGcm, sealAesGcm, IV_LENGTH, TAG_LENGTH } from '../crypto/aes-gcm.js';

const WRAP_VERSION = 0x01;

export interface RootKey {
  wrap(plaintext: Buffer, aad: string): Buffer;
  /** Throws if the wrapped bytes were not made by this root key with this AAD. */
  unwrap(wrapped: Buffer, aad: string): Buffer;
}

/** Builds a root key from 32 bytes, which it zeroes once they are inside a KeyObject. */
export function rootKeyFromBytes(bytes: Buffer): RootKey {
  if (bytes.length !== 32) throw new Error('the root key must be 32 bytes');
  const key: KeyObject = createSecretKey(bytes);
  bytes.fill(0);
  return {
    wrap(plaintext, aad) {
      const sealed = sealAesGcm(key, plaintext, Buffer.from(aad, 'utf8'));
      return Buffer.concat([Buffer.from([WRAP_VERSION]), sealed.iv, sealed.ciphertext, sealed.tag]);
    },
    unwrap(wrapped, aad) {
      if (wrapped.length < 1 + IV_LENGTH + TAG_LENGTH || wrapped[0] !== WRAP_VERSION) {
        throw new Error('wrapped key material is malformed');
      }
      return openAesGcm(
        key,
        {
          iv: wrapped.subarray(1, 1 + IV_LENGTH),
          ciphertext: wrapped.subarray(1 + IV_LENGTH, wrapped.length - TAG_LENGTH),
          tag: wrapped.subarray(wrapped.length - TAG_LENGTH),
        },
        Buffer.from(aad, 'utf8'),
      );
    },
  };
}

export function generateRootKey(): RootKey {
  return rootKeyFromBytes(randomBytes(32));
}
