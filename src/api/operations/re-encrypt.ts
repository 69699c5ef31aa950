// ReEncrypt: opens a ciphertext with its source key and seals the plaintext under the destination key,
// without the plaintext leaving the server. Needs kms:ReEncryptFrom on the source key (the key named in
// the blob, or the RSA/SM2 key SourceKeyId names) and kms:ReEncryptTo on the destination. Each step is its
// own function; re-encrypt-steps.ts opens and seals for symmetric and asymmetric keys.
import { IncorrectKeyException, ValidationException, type KmsError } from '../../errors.js';
import { stateError } from '../../keys/key-state.js';
import type { KmsKey } from '../../keys/keyring.js';
import { authorizeOnKey, findKey } from '../../keys/resolve.js';
import { keyOfBlob } from '../../keys/symmetric.js';
import { defineOperation, type OperationContext, type WireObject } from '../services.js';
import { endDryRun, requireEncryptionAlgorithm, requireUsage } from './common.js';
import { contextConditions } from './conditions.js';
import { checkReEncryptContexts, openSource, sealDestination } from './re-encrypt-steps.js';

interface ReEncryptInput {
  CiphertextBlob?: Buffer;
  SourceEncryptionContext?: Record<string, string>;
  SourceKeyId?: string;
  DestinationKeyId: string;
  DestinationEncryptionContext?: Record<string, string>;
  SourceEncryptionAlgorithm?: string;
  DestinationEncryptionAlgorithm?: string;
  GrantTokens?: string[];
  DryRun?: boolean;
  DryRunModifiers?: string[];
}

function missing(member: string): KmsError {
  return new ValidationException(
    `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
  );
}

/** The source key: the one named in the blob, which SourceKeyId (if given) must also name. */
function findSourceKey(input: ReEncryptInput, { caller, services }: OperationContext): KmsKey {
  const ignoreCiphertext =
    input.DryRun === true && input.DryRunModifiers?.includes('IGNORE_CIPHERTEXT') === true;
  if (ignoreCiphertext) {
    if (input.SourceKeyId === undefined) throw missing('sourceKeyId');
    return findKey(services, input.SourceKeyId, caller, true);
  }
  if (input.CiphertextBlob === undefined) throw missing('ciphertextBlob');
  // Asymmetric ciphertext has no header: SourceKeyId names the key.
  const named =
    input.SourceKeyId === undefined
      ? undefined
      : findKey(services, input.SourceKeyId, caller, true);
  if (named && named.row.keySpec !== 'SYMMETRIC_DEFAULT') return named;
  const key = keyOfBlob(services.keyring, input.CiphertextBlob);
  // Precondition: a SourceKeyId given with the blob must name the key that made it.
  if (input.SourceKeyId !== undefined) {
    const named = findKey(services, input.SourceKeyId, caller, true);
    if (named.row.keyId !== key.row.keyId) {
      throw new IncorrectKeyException(
        'The key ID in the request does not identify the KMS key that encrypted the ciphertext.',
      );
    }
  }
  return key;
}

function authorizeBoth(
  input: ReEncryptInput,
  { caller, services }: OperationContext,
  source: KmsKey,
  destination: KmsKey,
  algorithms: { source: string; destination: string },
): void {
  const sameKey = source.row.keyId === destination.row.keyId;
  authorizeOnKey(
    services,
    {
      caller,
      action: 'kms:ReEncryptFrom',
      conditions: contextConditions(input.SourceEncryptionContext, {
        'kms:EncryptionAlgorithm': algorithms.source,
        'kms:ReEncryptOnSameKey': sameKey,
      }),
      grantTokens: input.GrantTokens,
    },
    source,
  );
  authorizeOnKey(
    services,
    {
      caller,
      action: 'kms:ReEncryptTo',
      conditions: contextConditions(input.DestinationEncryptionContext, {
        'kms:EncryptionAlgorithm': algorithms.destination,
        'kms:ReEncryptOnSameKey': sameKey,
      }),
      grantTokens: input.GrantTokens,
    },
    destination,
  );
}

/** Precondition: both keys must be usable, and each an encryption key offering its algorithm. */
function checkKeys(
  source: KmsKey,
  destination: KmsKey,
  algorithms: { source: string; destination: string },
): void {
  for (const key of [source, destination]) {
    const refused = stateError('use', key.row.state, key.arn);
    if (refused) throw refused;
  }
  requireUsage(source, 'ENCRYPT_DECRYPT', 'ReEncrypt');
  requireEncryptionAlgorithm(source, algorithms.source);
  requireUsage(destination, 'ENCRYPT_DECRYPT', 'ReEncrypt');
  requireEncryptionAlgorithm(destination, algorithms.destination);
}

export const reEncrypt = defineOperation<ReEncryptInput>('ReEncrypt', (input, ctx) => {
  const { caller, services } = ctx;
  const algorithms = {
    source: input.SourceEncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT',
    destination: input.DestinationEncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT',
  };
  const source = findSourceKey(input, ctx);
  const destination = findKey(services, input.DestinationKeyId, caller, true);
  authorizeBoth(input, ctx, source, destination, algorithms);
  checkKeys(source, destination, algorithms);
  const { SourceEncryptionContext: sourceContext } = input;
  const { DestinationEncryptionContext: destinationContext } = input;
  checkReEncryptContexts(source, sourceContext, destination, destinationContext);
  endDryRun(input.DryRun);
  const blob = input.CiphertextBlob;
  if (blob === undefined) throw missing('ciphertextBlob');
  const opened = openSource(services, source, blob, algorithms.source, sourceContext);
  try {
    const sealed = sealDestination(
      services,
      destination,
      opened.plaintext,
      algorithms.destination,
      destinationContext,
    );
    // Members added one by one, not spread in: Node 20's V8 builds spreads on a slow path.
    const out: WireObject = {
      CiphertextBlob: sealed.ciphertextBlob.toString('base64'),
      SourceKeyId: source.arn,
      KeyId: destination.arn,
      SourceEncryptionAlgorithm: algorithms.source,
      DestinationEncryptionAlgorithm: algorithms.destination,
    };
    if (opened.keyMaterialId !== undefined) out.SourceKeyMaterialId = opened.keyMaterialId;
    if (sealed.keyMaterialId !== undefined) out.DestinationKeyMaterialId = sealed.keyMaterialId;
    return out;
  } finally {
    opened.plaintext.fill(0);
  }
});
