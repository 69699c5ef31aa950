// What Sign and Verify share: resolving the key with the signing condition keys, and the usage,
// algorithm, message type and digest length checks AWS applies before any cryptography.
import { InvalidKeyUsageException, ValidationException } from '../../errors.js';
import {
  signingAlgorithms,
  type MessageType,
  type SigningAlgorithm,
} from '../../crypto/algorithms.js';
import { algorithmsFor, keySpecRow, type KeySpecRow } from '../../crypto/key-specs.js';
import type { KmsKey } from '../../keys/keyring.js';
import { loadedKey, type LoadedKey } from '../../keys/loaded-key.js';
import { resolveUsableKey } from '../../keys/resolve.js';
import type { OperationContext } from '../services.js';
import { endDryRun, requireUsage } from './common.js';

export interface SigningInput {
  KeyId: string;
  Message: Buffer;
  MessageType?: MessageType;
  GrantTokens?: string[];
  SigningAlgorithm: string;
  DryRun?: boolean;
}

export interface SigningKey {
  readonly key: KmsKey;
  readonly row: KeySpecRow;
  readonly loaded: LoadedKey;
  readonly algorithm: SigningAlgorithm;
  readonly messageType: MessageType;
}

export function resolveSigningKey(
  operation: 'Sign' | 'Verify',
  input: SigningInput,
  { caller, services }: OperationContext,
): SigningKey {
  const messageType = input.MessageType ?? 'RAW';
  const key = resolveUsableKey(services, {
    ref: input.KeyId,
    caller,
    action: `kms:${operation}`,
    rule: 'use',
    allowAlias: true,
    conditions: { 'kms:SigningAlgorithm': input.SigningAlgorithm, 'kms:MessageType': messageType },
    grantTokens: input.GrantTokens,
  });
  requireUsage(key, 'SIGN_VERIFY', operation);
  // Precondition: the signing algorithm must be one the key's spec offers.
  const offered = algorithmsFor(key.row.keySpec, key.row.keyUsage).signing ?? [];
  const algorithm = signingAlgorithms.get(input.SigningAlgorithm);
  if (!algorithm || !offered.includes(input.SigningAlgorithm)) {
    throw new InvalidKeyUsageException(
      `The signing algorithm ${input.SigningAlgorithm} is not valid for ${key.arn}. Valid algorithms are: ${offered.join(', ')}.`,
    );
  }
  // Precondition: the message type must suit the algorithm (EXTERNAL_MU only for ML-DSA, Ed25519 variants fixed).
  if (!algorithm.messageTypes.includes(messageType)) {
    throw new ValidationException(
      `MessageType ${messageType} is not valid for signing algorithm ${algorithm.name}. Valid message types are: ${algorithm.messageTypes.join(', ')}.`,
    );
  }
  // Precondition: a DIGEST or EXTERNAL_MU message must have exactly the algorithm's digest length.
  if (messageType !== 'RAW' && input.Message.length !== algorithm.digestLength) {
    throw new ValidationException(`Digest is invalid length for algorithm ${algorithm.name}.`);
  }
  endDryRun(input.DryRun);
  const row = keySpecRow(key.row.keySpec);
  return { key, row, loaded: loadedKey(services.keyring, key), algorithm, messageType };
}
