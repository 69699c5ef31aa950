// Identifiers and secrets of principals and credentials, in AWS's shapes: 12-digit accounts,
// AKIA…/ASIA… access key ids, AIDA…/AROA… principal ids, 40-character secrets, and IAM ARNs.
// Randomness only from crypto.randomBytes.
import { randomBytes } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function randomBase32(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += BASE32.charAt(byte & 31);
  return out;
}

export type IdPrefix = 'AKIA' | 'ASIA' | 'AIDA' | 'AROA';

/** 20 characters for access key ids (AKIA/ASIA + 16), 21 for principal ids (AIDA/AROA + 17). */
export function newId(prefix: IdPrefix): string {
  return prefix + randomBase32(prefix === 'AKIA' || prefix === 'ASIA' ? 16 : 17);
}

/** A 40-character secret access key (30 random bytes, base64). */
export function newSecretAccessKey(): string {
  return randomBytes(30).toString('base64');
}

/** An opaque session token (96 random bytes, base64). */
export function newSessionToken(): string {
  return randomBytes(96).toString('base64');
}

export const ACCOUNT_ID = /^\d{12}$/;
/** IAM user and role names: https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateUser.html */
export const PRINCIPAL_NAME = /^[\w+=,.@-]{1,64}$/;
/** RoleSessionName: https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html */
export const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
export const POLICY_NAME = /^[\w+=,.@-]{1,128}$/;

export function rootArn(partition: string, accountId: string): string {
  return `arn:${partition}:iam::${accountId}:root`;
}

export function principalArn(
  partition: string,
  accountId: string,
  kind: 'user' | 'role',
  name: string,
): string {
  return `arn:${partition}:iam::${accountId}:${kind}/${name}`;
}

export function assumedRoleArn(
  partition: string,
  accountId: string,
  roleName: string,
  sessionName: string,
): string {
  return `arn:${partition}:sts::${accountId}:assumed-role/${roleName}/${sessionName}`;
}

const ASSUMED_ROLE = /^arn:([\w-]+):sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/;

/** Maps an assumed-role session ARN to its role ARN; any other ARN is returned unchanged. */
export function iamArnOf(arn: string): string {
  const m = ASSUMED_ROLE.exec(arn);
  if (m === null) return arn;
  const [, partition = '', accountId = '', role = ''] = m;
  return `arn:${partition}:iam::${accountId}:role/${role}`;
}

/** Wrapping AAD of an access key's secret: binds it to its id and kind. */
export function secretAad(kind: 'access-key' | 'session', accessKeyId: string): string {
  return `trent:${kind}-secret:${accessKeyId}`;
}
