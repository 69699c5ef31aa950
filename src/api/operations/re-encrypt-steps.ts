// The open and seal steps of ReEncrypt for every encryption key type: symmetric blobs (with encryption
// context and material ids) and RSA/SM2 ciphertext (no context, no header, no material id).
import type { KmsKey } from '../../keys/keyring.js';
import { openWithKey, sealWithKey } from '../../keys/symmetric.js';
import type { Services } from '../services.js';
import {
  asymmetricDecrypt,
  asymmetricEncrypt,
  rejectContextForAsymmetric,
} from './asymmetric-encryption.js';

type Context = Record<string, string> | undefined;

function isSymmetric(key: KmsKey): boolean {
  return key.row.keySpec === 'SYMMETRIC_DEFAULT';
}

/** Precondition: an encryption context only with symmetric source and destination keys. */
export function checkReEncryptContexts(
  source: KmsKey,
  sourceContext: Context,
  destination: KmsKey,
  destinationContext: Context,
): void {
  if (!isSymmetric(source)) rejectContextForAsymmetric(source, sourceContext);
  if (!isSymmetric(destination)) rejectContextForAsymmetric(destination, destinationContext);
}

export function openSource(
  services: Services,
  source: KmsKey,
  blob: Buffer,
  algorithm: string,
  context: Context,
): { plaintext: Buffer; keyMaterialId?: string } {
  if (!isSymmetric(source))
    return { plaintext: asymmetricDecrypt(services, source, algorithm, blob) };
  const opened = openWithKey(services.keyring, source, blob, context);
  return { plaintext: opened.plaintext, keyMaterialId: opened.material.keyMaterialId };
}

export function sealDestination(
  services: Services,
  destination: KmsKey,
  plaintext: Buffer,
  algorithm: string,
  context: Context,
): { ciphertextBlob: Buffer; keyMaterialId?: string } {
  if (!isSymmetric(destination)) {
    return { ciphertextBlob: asymmetricEncrypt(services, destination, algorithm, plaintext) };
  }
  const sealed = sealWithKey(services.keyring, destination, plaintext, context);
  return { ciphertextBlob: sealed.ciphertextBlob, keyMaterialId: sealed.material.keyMaterialId };
}
