// ECDSA on NIST P-256/384/521 and secp256k1 (DER signatures, as AWS KMS returns them) and ECDH key
// agreement. RAW messages go through node:crypto; DIGEST messages are signed and verified as given by
// signDigest and verifyDigest (src/crypto/ecdsa-digest.ts), since node:crypto always hashes.
// Never logs keys.
import {
  createHash,
  createPublicKey,
  diffieHellman,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import type { HashName, MessageType } from './algorithms.js';
import { signDigest, verifyDigest } from './ecdsa-digest.js';

export interface EcdsaRequest {
  readonly hash: HashName;
  readonly message: Buffer;
  readonly messageType: MessageType;
}

export function ecdsaSign(privateKey: KeyObject, req: EcdsaRequest): Buffer {
  if (req.messageType === 'RAW')
    return sign(req.hash, req.message, { key: privateKey, dsaEncoding: 'der' });
  return signDigest(privateKey, req.message);
}

/** Verifies with the key pair: a DIGEST is checked with the private scalar (see verifyDigest). */
export function ecdsaVerify(
  keys: { readonly privateKey: KeyObject; readonly publicKey: KeyObject },
  req: EcdsaRequest,
  signature: Buffer,
): boolean {
  try {
    if (req.messageType === 'RAW') {
      return verify(req.hash, req.message, { key: keys.publicKey, dsaEncoding: 'der' }, signature);
    }
    return verifyDigest(keys.privateKey, req.message, signature);
  } catch {
    return false;
  }
}

/** The digest a RAW message gets before ECDSA signing (for tests and DIGEST equivalence). */
export function hashMessage(hash: HashName, message: Buffer): Buffer {
  return createHash(hash).update(message).digest();
}

/**
 * ECDH (the EC CDH primitive: the x-coordinate of d·Q) between our private key and a peer
 * SubjectPublicKeyInfo. Returns undefined when the peer key is not a valid key on the same curve.
 */
export function ecdhSharedSecret(privateKey: KeyObject, peerSpki: Buffer): Buffer | undefined {
  let peer: KeyObject;
  try {
    peer = createPublicKey({ key: peerSpki, format: 'der', type: 'spki' });
  } catch {
    return undefined;
  }
  const ours = privateKey.asymmetricKeyDetails?.namedCurve;
  if (peer.asymmetricKeyType !== 'ec' || peer.asymmetricKeyDetails?.namedCurve !== ours)
    return undefined;
  try {
    return diffieHellman({ privateKey, publicKey: peer });
  } catch {
    return undefined;
  }
}
