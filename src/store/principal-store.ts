// Persistence of accounts, IAM-style users and roles, access keys, session credentials, identity
// policies and principal tags. Secrets arrive here only wrapped under the root key; session tokens
// only as SHA-256 digests. Async so that a networked database fits behind the same interface.

export interface AccountRow {
  readonly accountId: string;
  readonly createdAt: number;
}

export type PrincipalKind = 'user' | 'role';

export interface PrincipalRow {
  readonly arn: string;
  readonly accountId: string;
  readonly kind: PrincipalKind;
  readonly name: string;
  /** AIDA… for users, AROA… for roles. */
  readonly principalId: string;
  readonly createdAt: number;
}

export type AccessKeyStatus = 'Active' | 'Inactive';

export interface AccessKeyRow {
  readonly accessKeyId: string;
  /** The user ARN, or the account root ARN (arn:…:iam::<acct>:root). */
  readonly principalArn: string;
  readonly status: AccessKeyStatus;
  readonly createdAt: number;
  readonly wrappedSecret: Buffer;
}

export interface SessionRow {
  readonly accessKeyId: string;
  readonly principalArn: string;
  readonly sessionName: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly wrappedSecret: Buffer;
  readonly tokenSha256: Buffer;
}

export interface IdentityPolicyRow {
  readonly principalArn: string;
  readonly policyName: string;
  readonly document: string;
}

export interface PrincipalTagRow {
  readonly principalArn: string;
  readonly tagKey: string;
  readonly tagValue: string;
}

export interface PrincipalSnapshot {
  readonly accounts: readonly AccountRow[];
  readonly principals: readonly PrincipalRow[];
  readonly accessKeys: readonly AccessKeyRow[];
  readonly sessions: readonly SessionRow[];
  readonly policies: readonly IdentityPolicyRow[];
  readonly tags: readonly PrincipalTagRow[];
}

export interface PrincipalStore {
  loadPrincipals(): Promise<PrincipalSnapshot>;
  putAccount(row: AccountRow): Promise<void>;
  putPrincipal(row: PrincipalRow): Promise<void>;
  /** Deletes the principal with its access keys, sessions, policies and tags. */
  deletePrincipal(arn: string): Promise<void>;
  putAccessKey(row: AccessKeyRow): Promise<void>;
  setAccessKeyStatus(accessKeyId: string, status: AccessKeyStatus): Promise<void>;
  deleteAccessKey(accessKeyId: string): Promise<void>;
  putSession(row: SessionRow): Promise<void>;
  deleteSession(accessKeyId: string): Promise<void>;
  putIdentityPolicy(row: IdentityPolicyRow): Promise<void>;
  deleteIdentityPolicy(principalArn: string, policyName: string): Promise<void>;
  putPrincipalTag(row: PrincipalTagRow): Promise<void>;
  deletePrincipalTag(principalArn: string, tagKey: string): Promise<void>;
}
