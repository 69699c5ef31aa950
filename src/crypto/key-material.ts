// Loading key material for every non-symmetric spec into KeyObjects (private key, HMAC secret, expanded
// post-quantum secret key) and deriving the DER SubjectPublicKeyInfo. Material bytes are zeroed by the
// caller; nothing here logs or keeps them.
import { createPrivateKey, createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import type { KeySpecRow } from './key-specs.js';
import { mlDsaKeys, mlDsaSpki } from './ml-dsa.js';
import { mlKemKeys, mlKemSpki } from './ml-kem.js';

export type LoadedKey =
  | {
      readonly kind: 'pair';
      readonly privateKey: KeyObject;
      readonly publicKey: KeyObject;
      readonly publicKeyDer: Buffer;
    }
  | { readonly kind: 'secret'; readonly secret: KeyObject }
  | {
      readonly kind: 'pq';
      /** The expanded FIPS 203/204 secret key (derived once from the stored seed). */
      readonly secretKey: KeyObject;
      readonly publicKey: Uint8Array;
      readonly publicKeyDer: Buffer;
    };

/** Loads unwrapped material (not kept: the KeyObjects copy it). */
export function loadMaterial(row: KeySpecRow, material: Buffer): LoadedKey {
  switch (row.family) {
    case 'SYMMETRIC':
    case 'HMAC':
      return { kind: 'secret', secret: createSecretKey(material) };
    case 'ML_DSA':
    case 'ML_KEM': {
      const level = Number(row.size);
      const keys =
        row.family === 'ML_DSA' ? mlDsaKeys(level, material) : mlKemKeys(level, material);
      const publicKeyDer =
        row.family === 'ML_DSA'
          ? mlDsaSpki(level, keys.publicKey)
          : mlKemSpki(level, keys.publicKey);
      const secretKey = createSecretKey(keys.secretKey);
      keys.secretKey.fill(0);
      return { kind: 'pq', secretKey, publicKey: keys.publicKey, publicKeyDer };
    }
    case 'RSA':
    case 'ECC':
    case 'ED25519':
    case 'SM2': {
      const privateKey = createPrivateKey({ key: material, format: 'der', type: 'pkcs8' });
      const publicKey = createPublicKey(privateKey);
      return {
        kind: 'pair',
        privateKey,
        publicKey,
        publicKeyDer: publicKey.export({ format: 'der', type: 'spki' }),
      };
    }
  }
}
