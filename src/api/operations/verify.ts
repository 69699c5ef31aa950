// Verify: checks a signature with the key's public key. A bad signature is KMSInvalidSignatureException,
// never SignatureValid: false (as AWS does).
import { KMSInvalidSignatureException } from '../../errors.js';
import { verifySignature } from '../../crypto/signing.js';
import { defineOperation } from '../services.js';
import { resolveSigningKey, type SigningInput } from './signing.js';

interface VerifyInput extends SigningInput {
  Signature: Buffer;
}

export const verify = defineOperation<VerifyInput>('Verify', (input, ctx) => {
  const { key, row, loaded, algorithm, messageType } = resolveSigningKey('Verify', input, ctx);
  const request = { algorithm, message: input.Message, messageType };
  if (!verifySignature(row, loaded, request, input.Signature)) {
    throw new KMSInvalidSignatureException('The signature is not valid for this message and key.');
  }
  return { KeyId: key.arn, SignatureValid: true, SigningAlgorithm: algorithm.name };
});
