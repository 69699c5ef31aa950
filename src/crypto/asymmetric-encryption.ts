// Encrypt and decrypt with RSA (RSAES-OAEP) and SM2 (SM2PKE) keys, and the plaintext limit each allows.
// Ciphertexts are the standard encodings, so ciphertext made offline with the public key decrypts.
import type { KeyObject } from 'node:crypto';
import { oaepMaxPlaintext, SM2PKE_MAX_PLAINTEXT } from './algorithms.js';
import type { LoadedKey } from './key-material.js';
import type { KeySpecRow } from './key-specs.js';
import { rsaDecrypt, rsaEncrypt } from './rsa.js';
import { sm2Decrypt, sm2Encrypt } from './sm2-pke.js';

function pair(loaded: LoadedKey): { privateKey: KeyObject; publicKey: KeyObject } {
  if (loaded.kind !== 'pair') throw new Error('expected an asymmetric key pair');
  return loaded;
}

export function maxPlaintextBytes(row: KeySpecRow, algorithm: string): number {
  return row.family === 'SM2'
    ? SM2PKE_MAX_PLAINTEXT
    : oaepMaxPlaintext(Number(row.size), algorithm);
}

export function encryptAsymmetric(
  row: KeySpecRow,
  loaded: LoadedKey,
  algorithm: string,
  plaintext: Buffer,
): Buffer {
  const { publicKey } = pair(loaded);
  return row.family === 'SM2'
    ? sm2Encrypt(publicKey, plaintext)
    : rsaEncrypt(publicKey, algorithm, plaintext);
}

/** Throws a plain Error for any undecryptable ciphertext. */
export function decryptAsymmetric(
  row: KeySpecRow,
  loaded: LoadedKey,
  algorithm: string,
  ciphertext: Buffer,
): Buffer {
  const { privateKey } = pair(loaded);
  return row.family === 'SM2'
    ? sm2Decrypt(privateKey, ciphertext)
    : rsaDecrypt(privateKey, algorithm, ciphertext);
}
