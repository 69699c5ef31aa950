// ECDSA on NIST P-256/384/521 and secp256k1 (DER signatures, as AWS KMS returns them) and ECDH key
// agreement. RAW messages go through node:crypto; DIGEST messages are signed as given by signDigest
// (src/crypto/ecdsa-digest.ts) and verified with @noble/curves, since node:crypto always hashes.
// Never logs keys.
import {
  createHash,
  createPublicKey,
  diffieHellman,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import type { ECDSA } from '@noble/curves/abstract/weierstrass.js';
import type { HashName, MessageType } from './algorithms.js';
import { spkiPublicKey } from './der.js';
import { signDigest } from './ecdsa-digest.js';

const NOBLE: Readonly<Record<string, ECDSA>> = {
  prime256v1: p256,
  secp384r1: p384,
  secp521r1: p521,
  secp256k1,
};

export interface EcdsaRequest {
  readonly hash: HashName;
  readonly message: Buffer;
  readonly messageType: MessageType;
}

function curveOf(key: KeyObject): ECDSA {
  const curve = NOBLE[key.asymmetricKeyDetails?.namedCurve ?? ''];
  if (!curve) throw new Error('not an ECDSA key');
  return curve;
}

export function ecdsaSign(privateKey: KeyObject, req: EcdsaRequest): Buffer {
  if (req.messageType === 'RAW')
    return sign(req.hash, req.message, { key: privateKey, dsaEncoding: 'der' });
  return signDigest(privateKey, req.message);
}

export function ecdsaVerify(publicKey: KeyObject, req: EcdsaRequest, signature: Buffer): boolean {
  try {
    if (req.messageType === 'RAW') {
      return verify(req.hash, req.message, { key: publicKey, dsaEncoding: 'der' }, signature);
    }
    const point = spkiPublicKey(publicKey.export({ format: 'der', type: 'spki' }));
    const opts = { prehash: false, lowS: false, format: 'der' } as const;
    return curveOf(publicKey).verify(signature, req.message, point, opts);
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
