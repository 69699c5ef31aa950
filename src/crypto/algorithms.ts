// The signing and encryption algorithm facts AWS KMS documents: which hash each uses, the digest length
// DIGEST messages must have, which message types apply, and plaintext limits. REFERENCE.md §7.

export type MessageType = 'RAW' | 'DIGEST' | 'EXTERNAL_MU';
export type HashName = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512' | 'sm3';

export interface SigningAlgorithm {
  readonly name: string;
  /** The hash the algorithm applies to a RAW message (SHAKE-256 for ML-DSA is internal to it). */
  readonly hash: HashName | 'shake256';
  /** Length a DIGEST (or EXTERNAL_MU) message must have. */
  readonly digestLength: number;
  readonly messageTypes: readonly MessageType[];
}

function alg(
  name: string,
  hash: SigningAlgorithm['hash'],
  digestLength: number,
  types: MessageType[],
) {
  return [name, { name, hash, digestLength, messageTypes: types }] as const;
}

const RD: MessageType[] = ['RAW', 'DIGEST'];

export const signingAlgorithms: ReadonlyMap<string, SigningAlgorithm> = new Map([
  alg('RSASSA_PSS_SHA_256', 'sha256', 32, RD),
  alg('RSASSA_PSS_SHA_384', 'sha384', 48, RD),
  alg('RSASSA_PSS_SHA_512', 'sha512', 64, RD),
  alg('RSASSA_PKCS1_V1_5_SHA_256', 'sha256', 32, RD),
  alg('RSASSA_PKCS1_V1_5_SHA_384', 'sha384', 48, RD),
  alg('RSASSA_PKCS1_V1_5_SHA_512', 'sha512', 64, RD),
  alg('ECDSA_SHA_256', 'sha256', 32, RD),
  alg('ECDSA_SHA_384', 'sha384', 48, RD),
  alg('ECDSA_SHA_512', 'sha512', 64, RD),
  alg('SM2DSA', 'sm3', 32, RD),
  // ED25519_SHA_512 needs RAW, ED25519_PH_SHA_512 needs DIGEST (SignRequest.MessageType docs).
  alg('ED25519_SHA_512', 'sha512', 64, ['RAW']),
  alg('ED25519_PH_SHA_512', 'sha512', 64, ['DIGEST']),
  alg('ML_DSA_SHAKE_256', 'shake256', 64, ['RAW', 'EXTERNAL_MU']),
]);

export const MAC_HASHES: ReadonlyMap<string, HashName> = new Map([
  ['HMAC_SHA_224', 'sha224'],
  ['HMAC_SHA_256', 'sha256'],
  ['HMAC_SHA_384', 'sha384'],
  ['HMAC_SHA_512', 'sha512'],
]);

/** SM2PKE plaintext limit (AWS KMS Developer Guide, SM2 key spec). */
export const SM2PKE_MAX_PLAINTEXT = 1024;

/** Largest plaintext RSAES-OAEP takes: k − 2·hLen − 2 bytes (RFC 8017 §7.1.1). */
export function oaepMaxPlaintext(modulusBits: number, algorithm: string): number {
  const hashBytes = algorithm === 'RSAES_OAEP_SHA_1' ? 20 : 32;
  return modulusBits / 8 - 2 * hashBytes - 2;
}

export function oaepHash(algorithm: string): 'sha1' | 'sha256' {
  return algorithm === 'RSAES_OAEP_SHA_1' ? 'sha1' : 'sha256';
}
