// Sign and verify with any SIGN_VERIFY key: picks the primitive for the key's family. The caller has
// already checked that the algorithm belongs to the key and that the message type and length fit.
import type { KeyObject } from 'node:crypto';
import type { MessageType, SigningAlgorithm } from './algorithms.js';
import { ecdsaSign, ecdsaVerify } from './ecc.js';
import { ed25519Sign, ed25519Verify } from './ed25519.js';
import type { LoadedKey } from './key-material.js';
import type { KeySpecRow } from './key-specs.js';
import { mlDsaSign, mlDsaVerify } from './ml-dsa.js';
import { rsaSign, rsaVerify } from './rsa.js';
import { sm2MessageDigest, sm2Sign, sm2Verify } from './sm2.js';

export interface SignatureRequest {
  readonly algorithm: SigningAlgorithm;
  readonly message: Buffer;
  readonly messageType: MessageType;
}

function pair(loaded: LoadedKey): { privateKey: KeyObject; publicKey: KeyObject } {
  if (loaded.kind !== 'pair') throw new Error('expected an asymmetric key pair');
  return loaded;
}

function classicHash(req: SignatureRequest) {
  const { hash } = req.algorithm;
  if (hash === 'shake256' || hash === 'sm3' || hash === 'sha1' || hash === 'sha224')
    throw new Error('bad hash');
  return hash;
}

export function signMessage(row: KeySpecRow, loaded: LoadedKey, req: SignatureRequest): Buffer {
  const isDigest = req.messageType !== 'RAW';
  switch (row.family) {
    case 'RSA': {
      const pss = req.algorithm.name.startsWith('RSASSA_PSS');
      return rsaSign(pair(loaded).privateKey, { ...req, hash: classicHash(req), pss });
    }
    case 'ECC':
      return ecdsaSign(pair(loaded).privateKey, { ...req, hash: classicHash(req) });
    case 'ED25519':
      return ed25519Sign(pair(loaded).privateKey, isDigest, req.message);
    case 'SM2': {
      const { privateKey, publicKey } = pair(loaded);
      return sm2Sign(privateKey, sm2MessageDigest(publicKey, req.message, isDigest));
    }
    case 'ML_DSA': {
      if (loaded.kind !== 'pq') throw new Error('expected an ML-DSA key');
      const secretKey = loaded.secretKey.export();
      try {
        return mlDsaSign(Number(row.size), secretKey, req.message, isDigest);
      } finally {
        secretKey.fill(0);
      }
    }
    case 'SYMMETRIC':
    case 'HMAC':
    case 'ML_KEM':
      throw new Error(`${row.keySpec} cannot sign`);
  }
}

export function verifySignature(
  row: KeySpecRow,
  loaded: LoadedKey,
  req: SignatureRequest,
  signature: Buffer,
): boolean {
  const isDigest = req.messageType !== 'RAW';
  switch (row.family) {
    case 'RSA': {
      const pss = req.algorithm.name.startsWith('RSASSA_PSS');
      return rsaVerify(pair(loaded).publicKey, { ...req, hash: classicHash(req), pss }, signature);
    }
    case 'ECC':
      return ecdsaVerify(pair(loaded), { ...req, hash: classicHash(req) }, signature);
    case 'ED25519':
      return ed25519Verify(pair(loaded).publicKey, isDigest, req.message, signature);
    case 'SM2': {
      const { publicKey } = pair(loaded);
      return sm2Verify(publicKey, sm2MessageDigest(publicKey, req.message, isDigest), signature);
    }
    case 'ML_DSA':
      if (loaded.kind !== 'pq') throw new Error('expected an ML-DSA key');
      return mlDsaVerify(Number(row.size), loaded.publicKey, req.message, isDigest, signature);
    case 'SYMMETRIC':
    case 'HMAC':
    case 'ML_KEM':
      throw new Error(`${row.keySpec} cannot verify`);
  }
}
