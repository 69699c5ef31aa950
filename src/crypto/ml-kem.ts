// ML-KEM (FIPS 203) for ML_KEM_512/768/1024 keys via @noble/post-quantum. The stored material is the
// 64-byte key-generation seed d ‖ z. Decapsulation uses implicit rejection: any well-sized ciphertext
// yields a 32-byte secret. Never logs keys or shared secrets.
import { ml_kem1024, ml_kem512, ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import { encodeSpki, encodeTlv } from './der.js';

const PARAMS = {
  512: { kem: ml_kem512, oid: '608648016503040401' },
  768: { kem: ml_kem768, oid: '608648016503040402' },
  1024: { kem: ml_kem1024, oid: '608648016503040403' },
} as const;

export const ML_KEM_SEED_BYTES = 64;

function params(level: number) {
  const p = PARAMS[level as keyof typeof PARAMS] as
    (typeof PARAMS)[keyof typeof PARAMS] | undefined;
  if (!p) throw new Error(`unknown ML-KEM level ${level}`);
  return p;
}

export function mlKemKeys(
  level: number,
  seed: Uint8Array,
): { publicKey: Uint8Array; secretKey: Uint8Array } {
  return params(level).kem.keygen(seed);
}

export function mlKemSpki(level: number, publicKey: Uint8Array): Buffer {
  return encodeSpki(params(level).oid, publicKey);
}

/** PKCS#8 in the seed-only form (privateKey = [0] IMPLICIT OCTET STRING of d ‖ z). */
export function mlKemPkcs8(level: number, seed: Uint8Array): Buffer {
  const algorithm = encodeTlv(0x30, encodeTlv(0x06, Buffer.from(params(level).oid, 'hex')));
  const privateKey = encodeTlv(0x04, encodeTlv(0x80, Buffer.from(seed)));
  return encodeTlv(0x30, Buffer.concat([Buffer.from([0x02, 0x01, 0x00]), algorithm, privateKey]));
}

export function mlKemCiphertextLength(level: number): number {
  return params(level).kem.lengths.cipherText ?? 0;
}

export function mlKemEncapsulate(
  level: number,
  publicKey: Uint8Array,
): { ciphertext: Buffer; sharedSecret: Buffer } {
  const { cipherText, sharedSecret } = params(level).kem.encapsulate(publicKey);
  return { ciphertext: Buffer.from(cipherText), sharedSecret: Buffer.from(sharedSecret) };
}

/** The caller checks the ciphertext length first (a wrong length is InvalidCiphertextException). */
export function mlKemDecapsulate(level: number, secretKey: Uint8Array, ciphertext: Buffer): Buffer {
  return Buffer.from(params(level).kem.decapsulate(ciphertext, secretKey));
}
