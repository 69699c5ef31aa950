// Checks fixed key material given for a key spec (a seed file pinning a known key) and returns it in the
// form Trent stores: PKCS#8 DER for RSA/ECC/Ed25519/SM2 (from PKCS#8 or SEC1, PEM or DER), raw bytes for
// HMAC and the ML-DSA/ML-KEM seeds. Errors say what is wrong without echoing the material.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readChildren, readTlv } from './der.js';
import type { KeySpecRow } from './key-specs.js';
import { ML_DSA_SEED_BYTES } from './ml-dsa.js';
import { ML_KEM_SEED_BYTES } from './ml-kem.js';

// Named-curve OIDs (DER value bytes) of the EC key specs.
const CURVE_OIDS: Readonly<Record<string, string>> = {
  prime256v1: '2a8648ce3d030107',
  secp384r1: '2b81040022',
  secp521r1: '2b81040023',
  secp256k1: '2b8104000a',
  SM2: '2a811ccf5501822d',
};

// HMAC key lengths AWS accepts for imported material: from the spec's length up to the hash block size.
const HMAC_MAX_BYTES: Readonly<Record<number, number>> = { 28: 64, 32: 64, 48: 128, 64: 128 };

function parsePrivateKey(material: Buffer | string): KeyObject {
  const text = typeof material === 'string' ? material : undefined;
  try {
    return text !== undefined && text.includes('-----BEGIN')
      ? createPrivateKey(text)
      : createPrivateKey({ key: Buffer.from(material), format: 'der', type: 'pkcs8' });
  } catch {
    throw new Error('the key material is not a PKCS#8 or SEC1 private key in PEM or DER');
  }
}

/** The curve OID a PKCS#8 EC key names in its AlgorithmIdentifier parameters, as hex. */
function pkcs8CurveOid(pkcs8: Buffer): string | undefined {
  const [, algorithm] = readChildren(readTlv(pkcs8).value);
  const [, parameters] = readChildren(algorithm?.value ?? Buffer.alloc(0));
  return parameters?.tag === 0x06 ? parameters.value.toString('hex') : undefined;
}

/** Validated material for `row`, or a plain Error explaining the mismatch. The caller zeroes the result. */
export function importKeyMaterial(row: KeySpecRow, material: Buffer | string): Buffer {
  switch (row.family) {
    case 'HMAC':
    case 'ML_DSA':
    case 'ML_KEM':
    case 'SYMMETRIC': {
      const bytes = Buffer.from(material);
      const min = row.family === 'HMAC' ? Number(row.size) : 0;
      const max = row.family === 'HMAC' ? (HMAC_MAX_BYTES[min] ?? min) : 0;
      const exact = {
        ML_DSA: ML_DSA_SEED_BYTES,
        ML_KEM: ML_KEM_SEED_BYTES,
        SYMMETRIC: 32,
      } as const;
      const ok =
        row.family === 'HMAC'
          ? bytes.length >= min && bytes.length <= max
          : bytes.length === exact[row.family];
      if (!ok)
        throw new Error(`${row.keySpec} key material has the wrong length (${bytes.length} bytes)`);
      return bytes;
    }
    case 'RSA':
    case 'ECC':
    case 'ED25519':
    case 'SM2': {
      const key = parsePrivateKey(material);
      const pkcs8 = key.export({ format: 'der', type: 'pkcs8' });
      const matches =
        row.family === 'RSA'
          ? key.asymmetricKeyType === 'rsa' && key.asymmetricKeyDetails?.modulusLength === row.size
          : row.family === 'ED25519'
            ? key.asymmetricKeyType === 'ed25519'
            : pkcs8CurveOid(pkcs8) === CURVE_OIDS[String(row.size)];
      if (!matches) {
        pkcs8.fill(0);
        throw new Error(`the private key is not a ${row.keySpec} key`);
      }
      return pkcs8;
    }
  }
}
