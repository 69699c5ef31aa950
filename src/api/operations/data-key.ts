// GenerateDataKey and GenerateDataKeyWithoutPlaintext: a random data key sealed under a symmetric key.
// The plaintext data key is returned (by the first only) and never kept.
import { ValidationException } from '../../errors.js';
import { fillRandom } from '../../crypto/random-pool.js';
import { resolveUsableKey } from '../../keys/resolve.js';
import { sealWithKey } from '../../keys/symmetric.js';
import type { OperationContext, WireObject } from '../services.js';
import { contextConditions } from './conditions.js';
import { endDryRun, requireSymmetricEncryptionKey } from './common.js';

export interface DataKeyInput {
  KeyId: string;
  EncryptionContext?: Record<string, string>;
  NumberOfBytes?: number;
  KeySpec?: string;
  GrantTokens?: string[];
  DryRun?: boolean;
}

const KEY_SPEC_BYTES: Readonly<Record<string, number>> = { AES_256: 32, AES_128: 16 };

export function generateDataKeyFor(
  operation: 'GenerateDataKey' | 'GenerateDataKeyWithoutPlaintext',
  input: DataKeyInput,
  { caller, services }: OperationContext,
): WireObject {
  // Precondition: exactly one of KeySpec and NumberOfBytes.
  if ((input.KeySpec === undefined) === (input.NumberOfBytes === undefined)) {
    throw new ValidationException('Please specify either number of bytes or key spec.');
  }
  const size =
    input.KeySpec !== undefined
      ? (KEY_SPEC_BYTES[input.KeySpec] ?? 32)
      : (input.NumberOfBytes ?? 32);
  const key = resolveUsableKey(services, {
    ref: input.KeyId,
    caller,
    action: `kms:${operation}`,
    rule: 'use',
    allowAlias: true,
    conditions: contextConditions(input.EncryptionContext),
    grantTokens: input.GrantTokens,
  });
  requireSymmetricEncryptionKey(key, operation);
  endDryRun(input.DryRun);
  const dataKey = Buffer.alloc(size);
  try {
    fillRandom(dataKey);
    const sealed = sealWithKey(services.keyring, key, dataKey, input.EncryptionContext);
    const out: WireObject = { CiphertextBlob: sealed.ciphertextBlob.toString('base64') };
    if (operation === 'GenerateDataKey') out.Plaintext = dataKey.toString('base64');
    out.KeyId = key.arn;
    out.KeyMaterialId = sealed.material.keyMaterialId;
    return out;
  } finally {
    dataKey.fill(0);
  }
}
