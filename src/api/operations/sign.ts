// Sign: a signature over a message or digest with the private key of a SIGN_VERIFY key.
import { signMessage } from '../../crypto/signing.js';
import { defineOperation } from '../services.js';
import { resolveSigningKey, type SigningInput } from './signing.js';

export const sign = defineOperation<SigningInput>('Sign', (input, ctx) => {
  const { key, row, loaded, algorithm, messageType } = resolveSigningKey('Sign', input, ctx);
  const signature = signMessage(row, loaded, { algorithm, message: input.Message, messageType });
  return {
    KeyId: key.arn,
    Signature: signature.toString('base64'),
    SigningAlgorithm: algorithm.name,
  };
});
