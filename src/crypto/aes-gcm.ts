// AES-256-GCM with a 12-byte random IV and a 16-byte tag: the one cipher for key material at rest and
// for symmetric ciphertexts. A failed tag check throws; callers turn that into their own error.
import { createCipheriv, createDecipheriv, type KeyObject } from 'node:crypto';
import { randomPoolBytes } from './random-pool.js';

export const IV_LENGTH = 12;
export const TAG_LENGTH = 16;

export interface Sealed {
  readonly iv: Buffer;
  readonly ciphertext: Buffer;
  readonly tag: Buffer;
}

export function sealAesGcm(
  key: KeyObject,
  plaintext: Buffer,
  aad: Buffer,
  iv: Buffer = randomPoolBytes(IV_LENGTH),
): Sealed {
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_LENGTH });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, ciphertext, tag: cipher.getAuthTag() };
}

/** Decrypts into a buffer the caller owns (allocated, not pooled); throws on any authentication failure. */
export function openAesGcm(key: KeyObject, sealed: Sealed, aad: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv, { authTagLength: TAG_LENGTH });
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.tag);
  const out = Buffer.alloc(sealed.ciphertext.length);
  const head = decipher.update(sealed.ciphertext);
  head.copy(out, 0);
  head.fill(0);
  decipher.final();
  return out;
}
