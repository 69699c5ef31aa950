// AES-256-GCM with a 12-byte random IV and a 16-byte tag: the one cipher for key material at rest and
// for symmetric ciphertexts. A failed tag check throws; callers turn that into their own error.
import { createCipheriv, createDecipheriv, type KeyObject } from 'node:crypto';
import { randomPoolBytes } from './random-pool.js';

/** An AES-256 key: a KeyObject, or its 32 bytes (a view the caller hands over for this call only). */
export type AesKey = KeyObject | Uint8Array;

export const IV_LENGTH = 12;
export const TAG_LENGTH = 16;

/** One options object for every cipher: Node only reads it. */
const GCM_OPTIONS = Object.freeze({ authTagLength: TAG_LENGTH });

export interface Sealed {
  readonly iv: Buffer;
  readonly ciphertext: Buffer;
  readonly tag: Buffer;
}

export function sealAesGcm(
  key: AesKey,
  plaintext: Buffer,
  aad: Buffer,
  iv: Buffer = randomPoolBytes(IV_LENGTH),
): Sealed {
  const cipher = createCipheriv('aes-256-gcm', key, iv, GCM_OPTIONS);
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, ciphertext, tag: cipher.getAuthTag() };
}

/**
 * Seals into `out`: the ciphertext at `offset` (plaintext.length bytes), the tag right after it.
 * `out` must have room for both; the IV is the caller's (already random).
 */
export function sealAesGcmInto(
  key: AesKey,
  iv: Uint8Array,
  plaintext: Buffer,
  aad: Uint8Array,
  out: Buffer,
  offset: number,
): void {
  const cipher = createCipheriv('aes-256-gcm', key, iv, GCM_OPTIONS);
  cipher.setAAD(aad);
  let at = offset + cipher.update(plaintext).copy(out, offset);
  at += cipher.final().copy(out, at);
  cipher.getAuthTag().copy(out, at);
}

/**
 * Decrypts into a buffer the caller owns (allocated, not pooled: the cipher's output has an
 * ArrayBuffer of its own); throws on any authentication failure, having zeroed what it decrypted.
 */
export function openAesGcm(key: AesKey, sealed: Sealed, aad: Uint8Array): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv, GCM_OPTIONS);
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.tag);
  const out = decipher.update(sealed.ciphertext);
  try {
    decipher.final();
  } catch (err) {
    out.fill(0);
    throw err;
  }
  return out;
}
