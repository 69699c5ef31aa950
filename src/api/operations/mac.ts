// What GenerateMac and VerifyMac share: resolving an HMAC key with kms:MacAlgorithm and checking that
// the algorithm is the one its spec offers.
import { InvalidKeyUsageException } from '../../errors.js';
import type { KeyObject } from 'node:crypto';
import { algorithmsFor } from '../../crypto/key-specs.js';
import type { KmsKey } from '../../keys/keyring.js';
import { loadedKey } from '../../keys/loaded-key.js';
import { resolveUsableKey } from '../../keys/resolve.js';
import type { OperationContext } from '../services.js';
import { endDryRun, requireUsage } from './common.js';

export interface MacInput {
  Message: Buffer;
  KeyId: string;
  MacAlgorithm: string;
  GrantTokens?: string[];
  DryRun?: boolean;
}

export function resolveMacKey(
  operation: 'GenerateMac' | 'VerifyMac',
  input: MacInput,
  { caller, services }: OperationContext,
): { key: KmsKey; secret: KeyObject } {
  const key = resolveUsableKey(services, {
    ref: input.KeyId,
    caller,
    action: `kms:${operation}`,
    rule: 'use',
    allowAlias: true,
    conditions: { 'kms:MacAlgorithm': input.MacAlgorithm },
    grantTokens: input.GrantTokens,
  });
  requireUsage(key, 'GENERATE_VERIFY_MAC', operation);
  // Precondition: the MAC algorithm must be the one the key's spec offers.
  const offered = algorithmsFor(key.row.keySpec, key.row.keyUsage).mac ?? [];
  if (!offered.includes(input.MacAlgorithm)) {
    throw new InvalidKeyUsageException(
      `The MAC algorithm ${input.MacAlgorithm} is not valid for ${key.arn}. Valid algorithms are: ${offered.join(', ')}.`,
    );
  }
  endDryRun(input.DryRun);
  const loaded = loadedKey(services.keyring, key);
  if (loaded.kind !== 'secret') throw new Error('HMAC key without a secret');
  return { key, secret: loaded.secret };
}
