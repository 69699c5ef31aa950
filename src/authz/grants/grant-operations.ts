// Which kms: actions a grant operation covers, which grant operations each kind of key supports, and
// which of them take an encryption context (the only ones an encryption-context constraint limits).
// Source: AWS KMS Developer Guide, "Grant operations" and "Key type reference".
import { algorithmsFor } from '../../crypto/key-specs.js';
import { isGrantOperation, type GrantOperation } from './grant.js';

/** The grant operation an action needs, e.g. 'kms:ReEncryptFrom' → 'ReEncryptFrom'; else undefined. */
export function grantOperationOf(action: string): GrantOperation | undefined {
  if (!action.startsWith('kms:')) return undefined;
  const name = action.slice(4);
  return isGrantOperation(name) ? name : undefined;
}

/** Operations whose requests carry an encryption context. */
export const CONTEXT_OPERATIONS: ReadonlySet<GrantOperation> = new Set<GrantOperation>([
  'Decrypt',
  'Encrypt',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
  'ReEncryptFrom',
  'ReEncryptTo',
]);

/** Operations an encryption-context constraint may sit beside without applying to them. */
export const CONTEXT_FREE_MANAGEMENT: ReadonlySet<GrantOperation> = new Set<GrantOperation>([
  'CreateGrant',
  'DescribeKey',
  'RetireGrant',
]);

const EVERY_KEY: readonly GrantOperation[] = ['CreateGrant', 'DescribeKey', 'RetireGrant'];

const BY_USAGE: Readonly<Record<string, readonly GrantOperation[]>> = {
  SIGN_VERIFY: ['Sign', 'Verify', 'GetPublicKey'],
  GENERATE_VERIFY_MAC: ['GenerateMac', 'VerifyMac'],
  KEY_AGREEMENT: ['DeriveSharedSecret', 'GetPublicKey'],
  ENCAPSULATE_DECAPSULATE: ['Encapsulate', 'Decapsulate', 'GetPublicKey'],
};

const SYMMETRIC_ENCRYPTION: readonly GrantOperation[] = [
  'Decrypt',
  'Encrypt',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
  'ReEncryptFrom',
  'ReEncryptTo',
];

const ASYMMETRIC_ENCRYPTION: readonly GrantOperation[] = [
  'Decrypt',
  'Encrypt',
  'ReEncryptFrom',
  'ReEncryptTo',
  'GetPublicKey',
];

/** The grant operations a key of this spec and usage supports. */
export function operationsSupportedBy(keySpec: string, keyUsage: string): Set<GrantOperation> {
  const out = new Set<GrantOperation>(EVERY_KEY);
  let usageOps: readonly GrantOperation[] = BY_USAGE[keyUsage] ?? [];
  if (keyUsage === 'ENCRYPT_DECRYPT') {
    const symmetric =
      algorithmsFor(keySpec, keyUsage).encryption?.includes('SYMMETRIC_DEFAULT') ??
      keySpec === 'SYMMETRIC_DEFAULT';
    usageOps = symmetric ? SYMMETRIC_ENCRYPTION : ASYMMETRIC_ENCRYPTION;
  }
  for (const op of usageOps) out.add(op);
  return out;
}
