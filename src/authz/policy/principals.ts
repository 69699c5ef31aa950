// The Principal/NotPrincipal element of a key policy: parse, list for existence checks, and match a
// caller. Never looks principals up itself (the directory does, in key-policy-check.ts).

/** How a principal element relates to a caller. 'account' means "through the caller's account":
 * the key policy trusts the account, and identity policies must also allow. */
export type PrincipalMatch = 'direct' | 'account' | 'none';

export interface PrincipalSpec {
  readonly any: boolean;
  /** Account ids named by 12-digit id or by their root ARN. */
  readonly accounts: ReadonlySet<string>;
  /** Exact user, role and assumed-role ARNs. */
  readonly arns: ReadonlySet<string>;
  readonly services: readonly string[];
}

/** The identities a caller acts as, derived once per request. */
export interface CallerIdentity {
  readonly arn: string;
  readonly accountId: string;
  /** The role behind an assumed-role session ARN. */
  readonly roleArn: string | undefined;
  readonly isRoot: boolean;
}

export class PrincipalSyntaxError extends Error {}

const ROOT_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):root$/;
const IAM_ARN =
  /^arn:aws[a-z-]*:(iam::\d{12}:(user|role)\/[\w+=,.@/-]+|sts::\d{12}:assumed-role\/[\w+=,.@-]+\/[\w+=,.@-]+)$/;
const ACCOUNT_ID = /^\d{12}$/;
const SERVICE = /^[a-z0-9][a-z0-9.-]*\.[a-z]+$/;
const ASSUMED_ROLE = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/;

function asList(value: unknown): string[] {
  const list = Array.isArray(value) ? (value as unknown[]) : [value];
  if (list.length === 0 || list.some((v) => typeof v !== 'string' || v === ''))
    throw new PrincipalSyntaxError('principal values must be non-empty strings');
  return list as string[];
}

/** Parses `"*"` or `{"AWS": …, "Service": …}`. */
export function parsePrincipal(element: unknown): PrincipalSpec {
  if (element === '*') return { any: true, accounts: new Set(), arns: new Set(), services: [] };
  if (typeof element !== 'object' || element === null || Array.isArray(element))
    throw new PrincipalSyntaxError('Principal must be "*" or an object');
  const accounts = new Set<string>();
  const arns = new Set<string>();
  const services: string[] = [];
  let any = false;
  const entries = Object.entries(element);
  if (entries.length === 0) throw new PrincipalSyntaxError('Principal names no principal');
  for (const [type, value] of entries) {
    for (const item of asList(value)) {
      if (type === 'AWS') {
        const root = ROOT_ARN.exec(item);
        if (item === '*') any = true;
        else if (ACCOUNT_ID.test(item)) accounts.add(item);
        else if (root) accounts.add(root[1] ?? '');
        else if (IAM_ARN.test(item)) arns.add(item);
        else throw new PrincipalSyntaxError(`invalid principal ${item}`);
      } else if (type === 'Service') {
        if (!SERVICE.test(item)) throw new PrincipalSyntaxError(`invalid service ${item}`);
        services.push(item);
      } else {
        throw new PrincipalSyntaxError(`unsupported principal type ${type}`);
      }
    }
  }
  return { any, accounts, arns, services };
}

export function callerIdentity(arn: string, accountId: string): CallerIdentity {
  const assumed = ASSUMED_ROLE.exec(arn);
  const roleArn = assumed
    ? `arn:${assumed[1] ?? ''}:iam::${assumed[2] ?? ''}:role/${assumed[3] ?? ''}`
    : undefined;
  return { arn, accountId, roleArn, isRoot: ROOT_ARN.test(arn) };
}

function namesCaller(spec: PrincipalSpec, caller: CallerIdentity): boolean {
  return (
    spec.arns.has(caller.arn) || (caller.roleArn !== undefined && spec.arns.has(caller.roleArn))
  );
}

/** Principal: "*" and a named user/role match directly; the account matches the root directly and
 * everyone else in it through the account. Service principals never match a Trent caller. */
export function matchPrincipal(spec: PrincipalSpec, caller: CallerIdentity): PrincipalMatch {
  if (spec.any || namesCaller(spec, caller)) return 'direct';
  if (spec.accounts.has(caller.accountId)) return caller.isRoot ? 'direct' : 'account';
  return 'none';
}

/** NotPrincipal: the statement applies unless every identity of the caller is listed (its own ARN and
 * its account, as the IAM user guide requires for Deny with NotPrincipal). */
export function matchNotPrincipal(spec: PrincipalSpec, caller: CallerIdentity): PrincipalMatch {
  if (spec.any) return 'none';
  const accountListed = spec.accounts.has(caller.accountId);
  const excluded = caller.isRoot ? accountListed : accountListed && namesCaller(spec, caller);
  return excluded ? 'none' : 'direct';
}
