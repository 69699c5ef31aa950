// How the audit trail classifies each AWS KMS operation: CloudTrail's readOnly flag, and whether the
// operation uses key material (cryptographic). Unknown names count as writes, so they fail closed.

export interface OperationClass {
  /** CloudTrail's readOnly: the request changes no state. */
  readonly readOnly: boolean;
  /** The request uses key material (or returns secrets) and is refused while the audit trail is down. */
  readonly cryptographic: boolean;
}

const CRYPTO: OperationClass = { readOnly: true, cryptographic: true };
const READ: OperationClass = { readOnly: true, cryptographic: false };
const WRITE: OperationClass = { readOnly: false, cryptographic: false };

const classes: ReadonlyMap<string, OperationClass> = new Map([
  ['CancelKeyDeletion', WRITE],
  ['ConnectCustomKeyStore', WRITE],
  ['CreateAlias', WRITE],
  ['CreateCustomKeyStore', WRITE],
  ['CreateGrant', WRITE],
  ['CreateKey', WRITE],
  ['Decapsulate', CRYPTO],
  ['Decrypt', CRYPTO],
  ['DeleteAlias', WRITE],
  ['DeleteCustomKeyStore', WRITE],
  ['DeleteImportedKeyMaterial', WRITE],
  ['DeriveSharedSecret', CRYPTO],
  ['DescribeCustomKeyStores', READ],
  ['DescribeKey', READ],
  ['DisableKey', WRITE],
  ['DisableKeyRotation', WRITE],
  ['DisconnectCustomKeyStore', WRITE],
  ['EnableKey', WRITE],
  ['EnableKeyRotation', WRITE],
  ['Encapsulate', CRYPTO],
  ['Encrypt', CRYPTO],
  ['GenerateDataKey', CRYPTO],
  ['GenerateDataKeyPair', CRYPTO],
  ['GenerateDataKeyPairWithoutPlaintext', CRYPTO],
  ['GenerateDataKeyWithoutPlaintext', CRYPTO],
  ['GenerateMac', CRYPTO],
  ['GenerateRandom', CRYPTO],
  ['GetKeyLastUsage', READ],
  ['GetKeyPolicy', READ],
  ['GetKeyRotationStatus', READ],
  ['GetParametersForImport', CRYPTO],
  ['GetPublicKey', READ],
  ['ImportKeyMaterial', { readOnly: false, cryptographic: true }],
  ['ListAliases', READ],
  ['ListGrants', READ],
  ['ListKeyPolicies', READ],
  ['ListKeyRotations', READ],
  ['ListKeys', READ],
  ['ListResourceTags', READ],
  ['ListRetirableGrants', READ],
  ['PutKeyPolicy', WRITE],
  ['ReEncrypt', CRYPTO],
  ['ReplicateKey', WRITE],
  ['RetireGrant', WRITE],
  ['RevokeGrant', WRITE],
  ['RotateKeyOnDemand', WRITE],
  ['ScheduleKeyDeletion', WRITE],
  ['Sign', CRYPTO],
  ['TagResource', WRITE],
  ['UntagResource', WRITE],
  ['UpdateAlias', WRITE],
  ['UpdateCustomKeyStore', WRITE],
  ['UpdateKeyDescription', WRITE],
  ['UpdatePrimaryRegion', WRITE],
  ['Verify', CRYPTO],
  ['VerifyMac', CRYPTO],
]);

/** Whether the table names the operation (a test checks every operation of the model is named). */
export function isClassified(eventName: string): boolean {
  return classes.has(eventName);
}

export function operationClass(eventName: string): OperationClass {
  return classes.get(eventName) ?? WRITE;
}

/** Whether a request may be served while its record cannot be made durable: only non-cryptographic reads. */
export function mayServeUnaudited(eventName: string): boolean {
  const c = operationClass(eventName);
  return c.readOnly && !c.cryptographic;
}

/** Operations GetKeyLastUsage tracks (KeyLastUsageTrackingOperation). */
export const usageTrackedOperations: ReadonlySet<string> = new Set([
  'Decapsulate',
  'Decrypt',
  'DeriveSharedSecret',
  'Encapsulate',
  'Encrypt',
  'GenerateDataKey',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
  'GenerateDataKeyWithoutPlaintext',
  'GenerateMac',
  'ReEncrypt',
  'Sign',
  'Verify',
  'VerifyMac',
]);
