// Decapsulate: recovers the shared secret of an ML-KEM ciphertext. Implicit rejection (FIPS 203): a
// well-sized wrong ciphertext yields a pseudo-random secret; only a wrong size is InvalidCiphertextException.
import { invalidCiphertext } from '../../errors.js';
import { mlKemCiphertextLength, mlKemDecapsulate } from '../../crypto/ml-kem.js';
import { defineOperation } from '../services.js';
import { resolveKemKey, type EncapsulationInput } from './encapsulation.js';

interface DecapsulateInput extends EncapsulationInput {
  SharedSecretCiphertextBlob: Buffer;
}

export const decapsulate = defineOperation<DecapsulateInput>('Decapsulate', (input, ctx) => {
  const { key, level, loaded } = resolveKemKey('Decapsulate', input, ctx, (k) => {
    // Precondition: the ciphertext must have the parameter set's exact length.
    const expected = mlKemCiphertextLength(Number(k.row.keySpec.slice('ML_KEM_'.length)));
    if (input.SharedSecretCiphertextBlob.length !== expected) throw invalidCiphertext();
  });
  const secretKey = loaded.secretKey.export();
  let sharedSecret: Buffer | undefined;
  try {
    sharedSecret = mlKemDecapsulate(level, secretKey, input.SharedSecretCiphertextBlob);
    return {
      KeyId: key.arn,
      SharedSecret: sharedSecret.toString('base64'),
      EncapsulationAlgorithm: input.EncapsulationAlgorithm,
    };
  } finally {
    secretKey.fill(0);
    sharedSecret?.fill(0);
  }
});
