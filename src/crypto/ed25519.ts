// Ed25519 signatures for ECC_NIST_EDWARDS25519 keys: ED25519_SHA_512 is PureEdDSA over the RAW message;
// ED25519_PH_SHA_512 is HashEdDSA (Ed25519ph, RFC 8032 §5.1) over the caller's 64-byte DIGEST, which
// KMS hashes once more with SHA-512 as FIPS 186-5 §7.8.1 step 1 says. Never logs keys.
import { sign, verify, type KeyObject } from 'node:crypto';
import { ed25519ph } from '@noble/curves/ed25519.js';
import { ed25519Seed, spkiPublicKey } from './der.js';

export function ed25519Sign(privateKey: KeyObject, prehashed: boolean, message: Buffer): Buffer {
  if (!prehashed) return sign(null, message, privateKey);
  const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
  try {
    return Buffer.from(ed25519ph.sign(message, ed25519Seed(pkcs8)));
  } finally {
    pkcs8.fill(0);
  }
}

export function ed25519Verify(
  publicKey: KeyObject,
  prehashed: boolean,
  message: Buffer,
  signature: Buffer,
): boolean {
  try {
    if (!prehashed) return verify(null, message, publicKey, signature);
    const raw = spkiPublicKey(publicKey.export({ format: 'der', type: 'spki' }));
    return ed25519ph.verify(signature, message, raw, { zip215: false });
  } catch {
    return false;
  }
}
