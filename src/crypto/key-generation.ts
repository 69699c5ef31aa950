// Generating key material for every spec: PKCS#8 DER for RSA/ECC/Ed25519/SM2, raw bytes for HMAC, seeds
// for ML-DSA/ML-KEM, and data key pairs. Results are zeroed by the caller; nothing here logs them.
import { generateKeyPair, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import type { KeySpecRow } from './key-specs.js';
import { ML_DSA_SEED_BYTES } from './ml-dsa.js';
import { ML_KEM_SEED_BYTES, mlKemKeys, mlKemPkcs8, mlKemSpki } from './ml-kem.js';

type PairCallback = (err: Error | null, publicKey: KeyObject, privateKey: KeyObject) => void;

function pairOf(
  start: (done: PairCallback) => void,
): Promise<{ privateKey: Buffer; publicKey: Buffer }> {
  return new Promise((resolve, reject) => {
    start((err, publicKey, privateKey) => {
      if (err) {
        reject(err);
        return;
      }
      resolve({
        privateKey: privateKey.export({ type: 'pkcs8', format: 'der' }),
        publicKey: publicKey.export({ type: 'spki', format: 'der' }),
      });
    });
  });
}

/** A fresh RSA/ECC/Ed25519/SM2 pair as PKCS#8 and SPKI DER (also what GenerateDataKeyPair returns). */
export async function generatePairDer(
  row: KeySpecRow,
): Promise<{ privateKey: Buffer; publicKey: Buffer }> {
  switch (row.family) {
    case 'RSA': {
      const options = { modulusLength: Number(row.size), publicExponent: 65537 };
      return pairOf((done) => {
        generateKeyPair('rsa', options, done);
      });
    }
    case 'ECC':
    case 'SM2':
      return pairOf((done) => {
        generateKeyPair('ec', { namedCurve: String(row.size) }, done);
      });
    case 'ED25519':
      return pairOf((done) => {
        generateKeyPair('ed25519', {}, done);
      });
    case 'SYMMETRIC':
    case 'HMAC':
    case 'ML_DSA':
    case 'ML_KEM':
      throw new Error(`no key pair for ${row.keySpec}`);
  }
}

/** New private material for a key of this spec. */
export async function generateMaterial(row: KeySpecRow): Promise<Buffer> {
  switch (row.family) {
    case 'HMAC':
      return randomBytes(Number(row.size));
    case 'ML_DSA':
      return randomBytes(ML_DSA_SEED_BYTES);
    case 'ML_KEM':
      return randomBytes(ML_KEM_SEED_BYTES);
    case 'SYMMETRIC':
      return randomBytes(32);
    case 'RSA':
    case 'ECC':
    case 'ED25519':
    case 'SM2': {
      const pair = await generatePairDer(row);
      return pair.privateKey;
    }
  }
}

/** A data key pair of any DataKeyPairSpec: PKCS#8 private key and SPKI public key, both DER. */
export async function generateDataKeyPair(
  row: KeySpecRow,
): Promise<{ privateKey: Buffer; publicKey: Buffer }> {
  if (row.family !== 'ML_KEM') return generatePairDer(row);
  const level = Number(row.size);
  const seed = randomBytes(ML_KEM_SEED_BYTES);
  const keys = mlKemKeys(level, seed);
  keys.secretKey.fill(0);
  const privateKey = mlKemPkcs8(level, seed);
  seed.fill(0);
  return { privateKey, publicKey: mlKemSpki(level, keys.publicKey) };
}

/** New private material made synchronously (start-up seeding, where blocking is acceptable). */
export function generateMaterialSync(row: KeySpecRow): Buffer {
  const pkcs8 = (key: KeyObject) => key.export({ type: 'pkcs8', format: 'der' });
  switch (row.family) {
    case 'RSA':
      return pkcs8(generateKeyPairSync('rsa', { modulusLength: Number(row.size) }).privateKey);
    case 'ECC':
    case 'SM2':
      return pkcs8(generateKeyPairSync('ec', { namedCurve: String(row.size) }).privateKey);
    case 'ED25519':
      return pkcs8(generateKeyPairSync('ed25519').privateKey);
    case 'SYMMETRIC':
      return randomBytes(32);
    case 'HMAC':
      return randomBytes(Number(row.size));
    case 'ML_DSA':
      return randomBytes(ML_DSA_SEED_BYTES);
    case 'ML_KEM':
      return randomBytes(ML_KEM_SEED_BYTES);
  }
}
