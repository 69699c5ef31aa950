// ML-DSA (FIPS 204) for ML_DSA_44/65/87 keys via @noble/post-quantum: pure ML-DSA with an empty context
// over a RAW message, or signing a caller's 64-byte external μ (FIPS 204 §6.2). The stored material is
// the 32-byte key-generation seed ξ. Never logs keys.
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { encodeSpki } from './der.js';

const PARAMS = {
  44: { dsa: ml_dsa44, oid: '608648016503040311' },
  65: { dsa: ml_dsa65, oid: '608648016503040312' },
  87: { dsa: ml_dsa87, oid: '608648016503040313' },
} as const;

export type MlDsaLevel = keyof typeof PARAMS;
export const ML_DSA_SEED_BYTES = 32;

function params(level: number) {
  const p = PARAMS[level as MlDsaLevel] as (typeof PARAMS)[MlDsaLevel] | undefined;
  if (!p) throw new Error(`unknown ML-DSA level ${level}`);
  return p;
}

export interface MlDsaKeys {
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
}

export function mlDsaKeys(level: number, seed: Uint8Array): MlDsaKeys {
  return params(level).dsa.keygen(seed);
}

export function mlDsaSpki(level: number, publicKey: Uint8Array): Buffer {
  return encodeSpki(params(level).oid, publicKey);
}

export function mlDsaSign(
  level: number,
  secretKey: Uint8Array,
  message: Buffer,
  externalMu: boolean,
): Buffer {
  const { dsa } = params(level);
  const signature = externalMu
    ? dsa.internal.sign(message, secretKey, { externalMu: true })
    : dsa.sign(message, secretKey);
  return Buffer.from(signature);
}

export function mlDsaVerify(
  level: number,
  publicKey: Uint8Array,
  message: Buffer,
  externalMu: boolean,
  signature: Buffer,
): boolean {
  const { dsa } = params(level);
  try {
    return externalMu
      ? dsa.internal.verify(signature, message, publicKey, { externalMu: true })
      : dsa.verify(signature, message, publicKey);
  } catch {
    return false;
  }
}
