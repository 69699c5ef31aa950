// Decrypt: opens a symmetric blob with the key named inside it (authorization uses that key, never '*'),
// or RSA/SM2 ciphertext with the asymmetric key the KeyId names.
import { IncorrectKeyException, ValidationException } from '../../errors.js';
import { authorizeOnKey, findKey } from '../../keys/resolve.js';
import { stateError } from '../../keys/key-state.js';
import { keyOfBlob, openWithKey } from '../../keys/symmetric.js';
import { defineOperation } from '../services.js';
import { contextConditions } from './conditions.js';
import { endDryRun, requireEncryptionAlgorithm } from './common.js';
import { decryptWithAsymmetricKey } from './decrypt-asymmetric.js';

interface DecryptInput {
  CiphertextBlob?: Buffer;
  EncryptionContext?: Record<string, string>;
  GrantTokens?: string[];
  KeyId?: string;
  EncryptionAlgorithm?: string;
  DryRun?: boolean;
}

export const decrypt = defineOperation<DecryptInput>(
  'Decrypt',
  (input, { caller, services, requestId }) => {
    if (input.CiphertextBlob === undefined) {
      throw new ValidationException(
        "1 validation error detected: Value null at 'ciphertextBlob' failed to satisfy constraint: Member must not be null",
      );
    }
    const algorithm = input.EncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT';
    // Asymmetric ciphertext has no header: the KeyId names the key.
    const asymmetric =
      input.KeyId === undefined ? undefined : findKey(services, input.KeyId, caller, true);
    if (asymmetric && asymmetric.row.keySpec !== 'SYMMETRIC_DEFAULT') {
      const request = { ...input, ciphertextBlob: input.CiphertextBlob, algorithm };
      return decryptWithAsymmetricKey(asymmetric, request, { caller, services, requestId });
    }
    const key = keyOfBlob(services.keyring, input.CiphertextBlob);
    // Precondition: a KeyId given with the blob must name the key that made it.
    if (input.KeyId !== undefined) {
      const named = findKey(services, input.KeyId, caller, true);
      if (named.row.keyId !== key.row.keyId) {
        throw new IncorrectKeyException(
          'The key ID in the request does not identify the KMS key that encrypted the ciphertext.',
        );
      }
    }
    authorizeOnKey(
      services,
      {
        caller,
        action: 'kms:Decrypt',
        conditions: contextConditions(input.EncryptionContext, {
          'kms:EncryptionAlgorithm': algorithm,
        }),
        grantTokens: input.GrantTokens,
      },
      key,
    );
    const refused = stateError('use', key.row.state, key.arn);
    if (refused) throw refused;
    requireEncryptionAlgorithm(key, algorithm);
    endDryRun(input.DryRun);
    const opened = openWithKey(
      services.keyring,
      key,
      input.CiphertextBlob,
      input.EncryptionContext,
    );
    try {
      return {
        KeyId: key.arn,
        Plaintext: opened.plaintext.toString('base64'),
        EncryptionAlgorithm: algorithm,
        KeyMaterialId: opened.material.keyMaterialId,
      };
    } finally {
      opened.plaintext.fill(0);
    }
  },
);
