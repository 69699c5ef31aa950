// GenerateDataKeyPair and GenerateDataKeyPairWithoutPlaintext: a fresh key pair whose PKCS#8 private key
// is sealed under a symmetric KMS key with the encryption context. The plaintext private key is returned
// (by the first only) and never kept.
import { UnsupportedOperationException } from '../../errors.js';
import { generateDataKeyPair } from '../../crypto/key-generation.js';
import { keySpecs } from '../../crypto/key-specs.js';
import { resolveUsableKey } from '../../keys/resolve.js';
import { sealWithKey } from '../../keys/symmetric.js';
import type { OperationContext, WireObject } from '../services.js';
import { contextConditions } from './conditions.js';
import { endDryRun, requireSymmetricEncryptionKey } from './common.js';

export interface DataKeyPairInput {
  EncryptionContext?: Record<string, string>;
  KeyId: string;
  KeyPairSpec: string;
  GrantTokens?: string[];
  Recipient?: unknown;
  DryRun?: boolean;
}

export async function generateDataKeyPairFor(
  operation: 'GenerateDataKeyPair' | 'GenerateDataKeyPairWithoutPlaintext',
  input: DataKeyPairInput,
  { caller, services }: OperationContext,
): Promise<WireObject> {
  const key = resolveUsableKey(services, {
    ref: input.KeyId,
    caller,
    action: `kms:${operation}`,
    rule: 'use',
    allowAlias: true,
    conditions: contextConditions(input.EncryptionContext, {
      'kms:DataKeyPairSpec': input.KeyPairSpec,
    }),
    grantTokens: input.GrantTokens,
  });
  requireSymmetricEncryptionKey(key, operation);
  const row = keySpecs.get(input.KeyPairSpec);
  if (!row?.isDataKeyPairSpec) {
    throw new UnsupportedOperationException(`KeyPairSpec ${input.KeyPairSpec} is not supported.`);
  }
  if (input.Recipient !== undefined) {
    throw new UnsupportedOperationException(
      'Recipient (attested enclaves) is not supported by this server.',
    );
  }
  endDryRun(input.DryRun);
  const pair = await generateDataKeyPair(row);
  try {
    const sealed = sealWithKey(services.keyring, key, pair.privateKey, input.EncryptionContext);
    const out: WireObject = { PrivateKeyCiphertextBlob: sealed.ciphertextBlob.toString('base64') };
    if (operation === 'GenerateDataKeyPair')
      out.PrivateKeyPlaintext = pair.privateKey.toString('base64');
    out.PublicKey = pair.publicKey.toString('base64');
    out.KeyId = key.arn;
    out.KeyPairSpec = input.KeyPairSpec;
    out.KeyMaterialId = sealed.material.keyMaterialId;
    return out;
  } finally {
    pair.privateKey.fill(0);
  }
}
