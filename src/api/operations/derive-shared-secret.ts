// DeriveSharedSecret: ECDH between a KEY_AGREEMENT key's private key and a peer's public key (DER
// SubjectPublicKeyInfo on the same curve). Returns the raw shared secret, as AWS does.
import { UnsupportedOperationException, ValidationException } from '../../errors.js';
import { ecdhSharedSecret } from '../../crypto/ecc.js';
import { sm2SharedSecret } from '../../crypto/sm2.js';
import { loadedKey } from '../../keys/loaded-key.js';
import { resolveUsableKey } from '../../keys/resolve.js';
import { defineOperation } from '../services.js';
import { endDryRun, requireUsage } from './common.js';

interface DeriveSharedSecretInput {
  KeyId: string;
  KeyAgreementAlgorithm: string;
  PublicKey: Buffer;
  GrantTokens?: string[];
  DryRun?: boolean;
  Recipient?: unknown;
}

export const deriveSharedSecret = defineOperation<DeriveSharedSecretInput>(
  'DeriveSharedSecret',
  (input, { caller, services }) => {
    const key = resolveUsableKey(services, {
      ref: input.KeyId,
      caller,
      action: 'kms:DeriveSharedSecret',
      rule: 'use',
      allowAlias: true,
      conditions: { 'kms:KeyAgreementAlgorithm': input.KeyAgreementAlgorithm },
      grantTokens: input.GrantTokens,
    });
    requireUsage(key, 'KEY_AGREEMENT', 'DeriveSharedSecret');
    if (input.Recipient !== undefined) {
      throw new UnsupportedOperationException(
        'Recipient (attested enclaves) is not supported by this server.',
      );
    }
    endDryRun(input.DryRun);
    const loaded = loadedKey(services.keyring, key);
    if (loaded.kind !== 'pair') throw new Error('KEY_AGREEMENT key without a key pair');
    const secret =
      key.row.keySpec === 'SM2'
        ? sm2SharedSecret(loaded.privateKey, input.PublicKey)
        : ecdhSharedSecret(loaded.privateKey, input.PublicKey);
    // Precondition: the peer public key must be a valid DER SubjectPublicKeyInfo on the key's curve.
    if (!secret) {
      throw new ValidationException(
        `The public key is not a valid DER-encoded SubjectPublicKeyInfo on the curve of ${key.row.keySpec}.`,
      );
    }
    try {
      return {
        KeyId: key.arn,
        SharedSecret: secret.toString('base64'),
        KeyAgreementAlgorithm: input.KeyAgreementAlgorithm,
        KeyOrigin: key.row.origin,
      };
    } finally {
      secret.fill(0);
    }
  },
);
