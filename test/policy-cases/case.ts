// The shape of one policy-evaluation case and the builders the case tables share.
import type { AuthorizationRequest } from '../../src/authz/authorizer.js';

export const A = '111122223333';
export const B = '444455556666';
export const ROOT_A = `arn:aws:iam::${A}:root`;
export const ROOT_B = `arn:aws:iam::${B}:root`;
export const ALICE = `arn:aws:iam::${A}:user/alice`;
export const BOB = `arn:aws:iam::${A}:user/bob`;
export const ROLE = `arn:aws:iam::${A}:role/app`;
export const SESSION = `arn:aws:sts::${A}:assumed-role/app/worker-1`;
export const CAROL_B = `arn:aws:iam::${B}:user/carol`;
export const KEY_A = `arn:aws:kms:us-east-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
export const KEY_B = `arn:aws:kms:us-east-1:${B}:key/0987dcba-09ab-87cd-65ef-0987654321ab`;

export type Statement = Record<string, unknown>;
export type Expected = 'allow' | 'deny';

export interface EvalCase {
  readonly name: string;
  /** Key policy statements; absent for operations without a key resource. */
  readonly key?: readonly Statement[];
  /** The caller's identity policy statements (one policy). */
  readonly identity?: readonly Statement[];
  readonly caller?: string;
  readonly action?: string;
  /** The key's ARN; its account decides same- or cross-account. */
  readonly keyArn?: string;
  readonly conditions?: AuthorizationRequest['conditions'];
  readonly tags?: Readonly<Record<string, string>>;
  readonly principalTags?: Readonly<Record<string, string>>;
  readonly aliases?: readonly string[];
  readonly sourceIp?: string;
  readonly expect: Expected;
}

export function aws(...principals: string[]): { AWS: string | string[] } {
  return { AWS: principals.length === 1 ? (principals[0] ?? '') : principals };
}

export function allow(principal: unknown, action: unknown, extra: Statement = {}): Statement {
  return { Effect: 'Allow', Principal: principal, Action: action, Resource: '*', ...extra };
}

export function deny(principal: unknown, action: unknown, extra: Statement = {}): Statement {
  return { Effect: 'Deny', Principal: principal, Action: action, Resource: '*', ...extra };
}

export function iamAllow(action: unknown, extra: Statement = {}): Statement {
  return { Effect: 'Allow', Action: action, Resource: '*', ...extra };
}

export function iamDeny(action: unknown, extra: Statement = {}): Statement {
  return { Effect: 'Deny', Action: action, Resource: '*', ...extra };
}

/** A key policy that lets Alice do everything only when one condition holds. */
export function onCondition(
  name: string,
  condition: Record<string, Record<string, unknown>>,
  conditions: AuthorizationRequest['conditions'] | undefined,
  expect: Expected,
  extra: Partial<EvalCase> = {},
): EvalCase {
  return {
    name,
    key: [allow(aws(ALICE), 'kms:*', { Condition: condition })],
    ...(conditions ? { conditions } : {}),
    ...extra,
    expect,
  };
}

/** The condition keys an operation derives from an encryption context. */
export function encryptionContext(
  context: Record<string, string>,
): Record<string, string | string[]> {
  return {
    ...Object.fromEntries(
      Object.entries(context).map(([k, v]) => [`kms:EncryptionContext:${k}`, v]),
    ),
    'kms:EncryptionContextKeys': Object.keys(context),
  };
}
