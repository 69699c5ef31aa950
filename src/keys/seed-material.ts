// Turns a seed entry's `material` into the bytes a key of its spec stores, or makes fresh material.
// Formats: `base64:<bytes>` for secret keys, HMAC keys and ML-DSA/ML-KEM seeds; a PEM private key (or
// base64 PKCS#8 DER) for RSA/ECC/Ed25519/SM2. It never puts material into an error message.
import { randomBytes } from 'node:crypto';
import { importKeyMaterial } from '../crypto/key-import.js';
import { generateMaterialSync } from '../crypto/key-generation.js';
import { keySpecs } from '../crypto/key-specs.js';

export type SeedMaterial =
  | { readonly kind: 'bytes'; readonly bytes: Buffer }
  | { readonly kind: 'pem'; readonly pem: string };

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Parses the `material` string of a seed entry; throws a plain Error with a reason. */
export function parseSeedMaterial(text: string): SeedMaterial {
  const trimmed = text.trim();
  if (trimmed.startsWith('base64:')) {
    const b64 = trimmed.slice('base64:'.length).replace(/\s+/g, '');
    if (!BASE64.test(b64)) throw new Error('material is not valid base64 after "base64:"');
    const bytes = Buffer.alloc(Buffer.byteLength(b64, 'base64'));
    bytes.write(b64, 'base64');
    return { kind: 'bytes', bytes };
  }
  if (trimmed.startsWith('-----BEGIN ')) return { kind: 'pem', pem: trimmed };
  throw new Error('material must be "base64:<bytes>" or a PEM private key');
}

/**
 * The raw material to wrap for a key of `keySpec`: the given material checked against the spec, or
 * fresh random material. The caller zeroes the result. Further key specs add their case here.
 */
export function seedMaterialBytes(keySpec: string, material: SeedMaterial | undefined): Buffer {
  switch (keySpec) {
    case 'SYMMETRIC_DEFAULT': {
      if (material === undefined) return randomBytes(32);
      if (material.kind !== 'bytes')
        throw new Error('SYMMETRIC_DEFAULT material must be "base64:" bytes, not PEM');
      if (material.bytes.length !== 32) {
        const n = material.bytes.length;
        material.bytes.fill(0);
        throw new Error(`SYMMETRIC_DEFAULT material must be 32 bytes, found ${String(n)}`);
      }
      return material.bytes;
    }
    default:
      return seedOtherSpec(keySpec, material);
  }
}

function seedOtherSpec(keySpec: string, material: SeedMaterial | undefined): Buffer {
  const row = keySpecs.get(keySpec);
  if (!row?.supported) throw new Error(`keySpec ${keySpec} cannot be seeded by this server`);
  if (material === undefined) return generateMaterialSync(row);
  const isPrivateKey = ['RSA', 'ECC', 'ED25519', 'SM2'].includes(row.family);
  if (material.kind === 'pem' && !isPrivateKey)
    throw new Error(`${keySpec} material must be "base64:" bytes, not PEM`);
  try {
    return importKeyMaterial(row, material.kind === 'pem' ? material.pem : material.bytes);
  } finally {
    if (material.kind === 'bytes') material.bytes.fill(0);
  }
}
