// Encapsulate: a fresh 32-byte shared secret and its ML-KEM ciphertext under the key's public key.
import { mlKemEncapsulate } from '../../crypto/ml-kem.js';
import { defineOperation } from '../services.js';
import { resolveKemKey, type EncapsulationInput } from './encapsulation.js';

export const encapsulate = defineOperation<EncapsulationInput>('Encapsulate', (input, ctx) => {
  const { key, level, loaded } = resolveKemKey('Encapsulate', input, ctx);
  const { ciphertext, sharedSecret } = mlKemEncapsulate(level, loaded.publicKey);
  try {
    return {
      KeyId: key.arn,
      SharedSecret: sharedSecret.toString('base64'),
      SharedSecretCiphertextBlob: ciphertext.toString('base64'),
      EncapsulationAlgorithm: input.EncapsulationAlgorithm,
    };
  } finally {
    sharedSecret.fill(0);
  }
});
