// GetPublicKey: the DER SubjectPublicKeyInfo of an asymmetric key with its spec, usage and algorithms.
// Private keys never leave Trent; symmetric and HMAC keys have no public key.
import { UnsupportedOperationException } from '../../errors.js';
import { algorithmsFor, keySpecs } from '../../crypto/key-specs.js';
import { publicKeyDer } from '../../keys/loaded-key.js';
import { resolveUsableKey } from '../../keys/resolve.js';
import { defineOperation, type WireObject } from '../services.js';

interface GetPublicKeyInput {
  KeyId: string;
  GrantTokens?: string[];
}

export const getPublicKey = defineOperation<GetPublicKeyInput>(
  'GetPublicKey',
  (input, { caller, services }) => {
    const key = resolveUsableKey(services, {
      ref: input.KeyId,
      caller,
      action: 'kms:GetPublicKey',
      rule: 'use',
      allowAlias: true,
      grantTokens: input.GrantTokens,
    });
    const family = keySpecs.get(key.row.keySpec)?.family;
    // Precondition: only asymmetric keys have a public key.
    const der =
      family === 'SYMMETRIC' || family === 'HMAC' ? undefined : publicKeyDer(services.keyring, key);
    if (!der) {
      throw new UnsupportedOperationException(
        `${key.arn} key spec is ${key.row.keySpec} which is not valid for GetPublicKey.`,
      );
    }
    const r = key.row;
    const out: WireObject = { KeyId: key.arn, PublicKey: der.toString('base64') };
    if (keySpecs.get(r.keySpec)?.inCustomerMasterKeySpec === true)
      out.CustomerMasterKeySpec = r.keySpec;
    out.KeySpec = r.keySpec;
    out.KeyUsage = r.keyUsage;
    const algorithms = algorithmsFor(r.keySpec, r.keyUsage);
    if (algorithms.encryption) out.EncryptionAlgorithms = algorithms.encryption;
    if (algorithms.signing) out.SigningAlgorithms = algorithms.signing;
    if (algorithms.keyAgreement) out.KeyAgreementAlgorithms = algorithms.keyAgreement;
    if (algorithms.encapsulation) out.EncapsulationAlgorithms = algorithms.encapsulation;
    return out;
  },
);
