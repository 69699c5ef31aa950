// The grant model: who may do which operations on one key, under which constraints. Plain data; it
// never holds a grant token.

/**
 * The GrantOperation enum of the AWS model (REFERENCE.md §6), Encapsulate/Decapsulate included. Written
 * out because src/authz may not import the generated model of src/api;
 * test/grant-operations-model.test.ts holds it equal to that model's enum.
 */
export const GRANT_OPERATIONS = [
  'Decrypt',
  'Encrypt',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'ReEncryptFrom',
  'ReEncryptTo',
  'Sign',
  'Verify',
  'GetPublicKey',
  'CreateGrant',
  'RetireGrant',
  'DescribeKey',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
  'GenerateMac',
  'VerifyMac',
  'DeriveSharedSecret',
  'Decapsulate',
  'Encapsulate',
] as const;

export type GrantOperation = (typeof GRANT_OPERATIONS)[number];

const operationNames: ReadonlySet<string> = new Set(GRANT_OPERATIONS);

export function isGrantOperation(name: string): name is GrantOperation {
  return operationNames.has(name);
}

export type EncryptionContext = Readonly<Record<string, string>>;

export interface GrantConstraints {
  readonly encryptionContextEquals?: EncryptionContext;
  readonly encryptionContextSubset?: EncryptionContext;
  readonly sourceArn?: string;
}

export interface Grant {
  readonly grantId: string;
  readonly keyId: string;
  readonly name?: string;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  readonly granteePrincipal?: string;
  readonly granteeServicePrincipal?: string;
  readonly retiringPrincipal?: string;
  readonly retiringServicePrincipal?: string;
  /** The account root ARN under which the grant was created. */
  readonly issuingAccount: string;
  readonly operations: ReadonlySet<GrantOperation>;
  readonly constraints?: GrantConstraints;
}

/** What CreateGrant asks for, before it has an id. */
export type GrantSpec = Omit<Grant, 'grantId' | 'createdAt'>;
