// Encrypt: up to 4096 bytes under a symmetric key, bound to the encryption context, or a small plaintext
// under an RSA or SM2 key.
import { resolveUsableKey } from '../../keys/resolve.js';
import { sealWithKey } from '../../keys/symmetric.js';
import {
  asymmetricEncrypt,
  checkAsymmetricPlaintext,
  rejectContextForAsymmetric,
} from './asymmetric-encryption.js';
import { contextConditions } from './conditions.js';
import { defineOperation } from '../services.js';
import { endDryRun, requireEncryptionAlgorithm, requireUsage } from './common.js';

interface EncryptInput {
  KeyId: string;
  Plaintext: Buffer;
  EncryptionContext?: Record<string, string>;
  GrantTokens?: string[];
  EncryptionAlgorithm?: string;
  DryRun?: boolean;
}

export const encrypt = defineOperation<EncryptInput>('Encrypt', (input, { caller, services }) => {
  try {
    const algorithm = input.EncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT';
    const key = resolveUsableKey(services, {
      ref: input.KeyId,
      caller,
      action: 'kms:Encrypt',
      rule: 'use',
      allowAlias: true,
      conditions: contextConditions(input.EncryptionContext, {
        'kms:EncryptionAlgorithm': algorithm,
      }),
      grantTokens: input.GrantTokens,
    });
    requireUsage(key, 'ENCRYPT_DECRYPT', 'Encrypt');
    requireEncryptionAlgorithm(key, algorithm);
    if (key.row.keySpec !== 'SYMMETRIC_DEFAULT') {
      rejectContextForAsymmetric(key, input.EncryptionContext);
      checkAsymmetricPlaintext(key, algorithm, input.Plaintext);
    }
    endDryRun(input.DryRun);
    if (key.row.keySpec !== 'SYMMETRIC_DEFAULT') {
      const ciphertext = asymmetricEncrypt(services, key, algorithm, input.Plaintext);
      return {
        CiphertextBlob: ciphertext.toString('base64'),
        KeyId: key.arn,
        EncryptionAlgorithm: algorithm,
      };
    }
    const sealed = sealWithKey(services.keyring, key, input.Plaintext, input.EncryptionContext);
    return {
      CiphertextBlob: sealed.ciphertextBlob.toString('base64'),
      KeyId: key.arn,
      EncryptionAlgorithm: algorithm,
    };
  } finally {
    input.Plaintext.fill(0);
  }
});
