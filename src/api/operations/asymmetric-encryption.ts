// Encrypt and Decrypt with RSA and SM2 keys: standard RSAES-OAEP / SM2PKE ciphertext with no header, so
// Decrypt needs the KeyId and EncryptionAlgorithm, takes no encryption context, and accepts ciphertext
// made offline with the exported public key. Every decryption failure is the one InvalidCiphertextException.
import { invalidCiphertext, ValidationException } from '../../errors.js';
import {
  decryptAsymmetric,
  encryptAsymmetric,
  maxPlaintextBytes,
} from '../../crypto/asymmetric-encryption.js';
import { keySpecRow } from '../../crypto/key-specs.js';
import type { KmsKey } from '../../keys/keyring.js';
import { loadedKey } from '../../keys/loaded-key.js';
import type { Services } from '../services.js';

/** Precondition: asymmetric encryption takes no encryption context. */
export function rejectContextForAsymmetric(
  key: KmsKey,
  context: Record<string, string> | undefined,
): void {
  if (context !== undefined && Object.keys(context).length > 0) {
    throw new ValidationException(
      `EncryptionContext is not supported with asymmetric KMS keys; ${key.arn} has key spec ${key.row.keySpec}.`,
    );
  }
}

/** Precondition: the plaintext must fit the key size and algorithm (e.g. 190 bytes for RSA_2048 OAEP SHA-256). */
export function checkAsymmetricPlaintext(key: KmsKey, algorithm: string, plaintext: Buffer): void {
  const max = maxPlaintextBytes(keySpecRow(key.row.keySpec), algorithm);
  if (plaintext.length > max) {
    throw new ValidationException(
      `Plaintext is too long: ${algorithm} with ${key.row.keySpec} takes at most ${max} bytes.`,
    );
  }
}

export function asymmetricEncrypt(
  services: Services,
  key: KmsKey,
  algorithm: string,
  plaintext: Buffer,
): Buffer {
  checkAsymmetricPlaintext(key, algorithm, plaintext);
  const row = keySpecRow(key.row.keySpec);
  return encryptAsymmetric(row, loadedKey(services.keyring, key), algorithm, plaintext);
}

export function asymmetricDecrypt(
  services: Services,
  key: KmsKey,
  algorithm: string,
  ciphertext: Buffer,
): Buffer {
  const row = keySpecRow(key.row.keySpec);
  const loaded = loadedKey(services.keyring, key);
  try {
    return decryptAsymmetric(row, loaded, algorithm, ciphertext);
  } catch (err) {
    throw invalidCiphertext(err);
  }
}
