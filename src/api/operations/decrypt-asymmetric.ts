// Decrypt with an RSA or SM2 key named by KeyId: authorize, state and usage checks, then decryption.
import { authorizeOnKey } from '../../keys/resolve.js';
import { stateError } from '../../keys/key-state.js';
import type { KmsKey } from '../../keys/keyring.js';
import type { OperationContext, WireObject } from '../services.js';
import { asymmetricDecrypt, rejectContextForAsymmetric } from './asymmetric-encryption.js';
import { endDryRun, requireEncryptionAlgorithm, requireUsage } from './common.js';

export interface AsymmetricDecryptRequest {
  readonly ciphertextBlob: Buffer;
  readonly algorithm: string;
  readonly EncryptionContext?: Record<string, string>;
  readonly GrantTokens?: string[];
  readonly DryRun?: boolean;
}

export function decryptWithAsymmetricKey(
  key: KmsKey,
  req: AsymmetricDecryptRequest,
  { caller, services }: OperationContext,
): WireObject {
  authorizeOnKey(
    services,
    {
      caller,
      action: 'kms:Decrypt',
      conditions: { 'kms:EncryptionAlgorithm': req.algorithm },
      grantTokens: req.GrantTokens,
    },
    key,
  );
  const refused = stateError('use', key.row.state, key.arn);
  if (refused) throw refused;
  requireUsage(key, 'ENCRYPT_DECRYPT', 'Decrypt');
  requireEncryptionAlgorithm(key, req.algorithm);
  rejectContextForAsymmetric(key, req.EncryptionContext);
  endDryRun(req.DryRun);
  const plaintext = asymmetricDecrypt(services, key, req.algorithm, req.ciphertextBlob);
  try {
    return {
      KeyId: key.arn,
      Plaintext: plaintext.toString('base64'),
      EncryptionAlgorithm: req.algorithm,
    };
  } finally {
    plaintext.fill(0);
  }
}
