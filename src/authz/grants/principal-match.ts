// How a principal named in a grant (grantee or retiring principal) matches a caller. An IAM user,
// role or session ARN matches that identity itself (a role also matches its assumed-role sessions);
// an account (its root ARN or its 12-digit id) matches the account root directly and every other
// principal of the account only through the account's identity policies, as in IAM.

/** 'principal': the caller is the named identity. 'account': the caller's account is named. */
export type PrincipalMatch = 'principal' | 'account';

const ROOT = /^arn:[a-z-]+:iam::(\d{12}):root$/;
const ROLE = /^arn:[a-z-]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/;
const SESSION = /^arn:[a-z-]+:sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/;

/** The account a principal names as a whole (root ARN or bare id), if it names one. */
export function accountNamedBy(principal: string): string | undefined {
  if (/^\d{12}$/.test(principal)) return principal;
  return ROOT.exec(principal)?.[1];
}

/** The account of an IAM or STS principal ARN, or of an account id; undefined for anything else. */
export function accountOfPrincipal(principal: string): string | undefined {
  if (/^\d{12}$/.test(principal)) return principal;
  return /^arn:[a-z-]+:(?:iam|sts)::(\d{12}):/.exec(principal)?.[1];
}

/**
 * The index key of a principal: equal keys name the same identity. Accounts fold their two spellings,
 * roles drop their path (role names are unique in an account).
 */
export function principalKey(principal: string): string {
  const account = accountNamedBy(principal);
  if (account !== undefined) return `account:${account}`;
  const role = ROLE.exec(principal);
  if (role) return `role:${role[1] ?? ''}:${role[2] ?? ''}`;
  return `arn:${principal}`;
}

export interface CallerIdentity {
  readonly accountId: string;
  readonly arn: string;
}

/** The keys under which grants for this caller as an identity are indexed. */
export function callerKeys(caller: CallerIdentity): string[] {
  const keys = [principalKey(caller.arn)];
  const session = SESSION.exec(caller.arn);
  if (session) keys.push(`role:${session[1] ?? ''}:${session[2] ?? ''}`);
  return keys;
}

export function isAccountRoot(caller: CallerIdentity): boolean {
  return accountNamedBy(caller.arn) === caller.accountId;
}

/** How `principal` (from a grant) matches `caller`, or undefined when it does not. */
export function matchPrincipal(
  principal: string | undefined,
  caller: CallerIdentity,
): PrincipalMatch | undefined {
  if (principal === undefined) return undefined;
  const key = principalKey(principal);
  if (callerKeys(caller).includes(key)) return 'principal';
  if (key === `account:${caller.accountId}`) return 'account';
  return undefined;
}
