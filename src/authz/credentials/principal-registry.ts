// The in-memory view of every account, principal and credential, so that authenticating a request
// and reading identity policies touch no database row. Unwrapped secrets live only as KeyObjects
// ("AWS4" + secret) ready for SigV4 derivation; they are never returned or printed.
import { createHash, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { RootKey } from '../../root/root-key.js';
import type {
  AccessKeyRow,
  PrincipalRow,
  PrincipalSnapshot,
  SessionRow,
} from '../../store/principal-store.js';
import type { PrincipalDirectory } from '../principal-directory.js';
import type { Caller } from '../principal.js';
import { expiredToken, unrecognizedClient } from '../sigv4/errors.js';
import { signingSecret } from '../sigv4/signing-key.js';
import { assumedRoleArn, iamArnOf, rootArn, secretAad } from './identifiers.js';

export interface ActiveCredential {
  readonly row: AccessKeyRow | SessionRow;
  readonly secret: KeyObject;
  readonly caller: Caller;
}

const NONE: readonly string[] = Object.freeze([]);

export function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

export class PrincipalRegistry implements PrincipalDirectory {
  readonly accounts = new Set<string>();
  readonly principals = new Map<string, PrincipalRow>();
  readonly accessKeys = new Map<string, ActiveCredential>();
  readonly sessions = new Map<string, ActiveCredential>();
  readonly policies = new Map<string, Map<string, string>>();
  /** The documents of `policies` as arrays, rebuilt on change so reads allocate nothing. */
  private readonly policyLists = new Map<string, readonly string[]>();
  readonly tags = new Map<string, Record<string, string>>();

  constructor(
    readonly partition: string,
    private readonly root: RootKey,
  ) {}

  load(snapshot: PrincipalSnapshot): void {
    for (const a of snapshot.accounts) this.accounts.add(a.accountId);
    for (const p of snapshot.principals) this.principals.set(p.arn, p);
    for (const k of snapshot.accessKeys) this.addAccessKey(k);
    for (const s of snapshot.sessions) this.addSession(s);
    for (const p of snapshot.policies) this.setPolicy(p.principalArn, p.policyName, p.document);
    for (const t of snapshot.tags) this.setTag(t.principalArn, t.tagKey, t.tagValue);
  }

  private unwrapSecret(kind: 'access-key' | 'session', row: AccessKeyRow | SessionRow): KeyObject {
    const secret = this.root.unwrap(row.wrappedSecret, secretAad(kind, row.accessKeyId));
    try {
      return signingSecret(secret);
    } finally {
      secret.fill(0);
    }
  }

  /** The caller an access key or session acts as; undefined when its principal no longer exists. */
  private callerFor(
    principalArnText: string,
    accessKeyId: string,
    sessionName?: string,
  ): Caller | undefined {
    const principal = this.principals.get(principalArnText);
    if (principal === undefined) {
      const accountId = principalArnText.split(':')[4] ?? '';
      if (principalArnText !== rootArn(this.partition, accountId)) return undefined;
      return {
        accountId,
        arn: principalArnText,
        userId: accountId,
        accessKeyId,
        principalType: 'Account',
        principalArn: principalArnText,
        ...(sessionName === undefined ? {} : { sessionName }),
      };
    }
    const base = { accountId: principal.accountId, accessKeyId, principalArn: principal.arn };
    if (principal.kind === 'user') {
      return {
        ...base,
        arn: principal.arn,
        userId: principal.principalId,
        principalType: 'User',
        ...(sessionName === undefined ? {} : { sessionName }),
      };
    }
    const session = sessionName ?? 'session';
    return {
      ...base,
      arn: assumedRoleArn(this.partition, principal.accountId, principal.name, session),
      userId: `${principal.principalId}:${session}`,
      principalType: 'AssumedRole',
      sessionName: session,
    };
  }

  addAccessKey(row: AccessKeyRow): void {
    const caller = this.callerFor(row.principalArn, row.accessKeyId);
    if (caller === undefined) return;
    this.accessKeys.set(row.accessKeyId, {
      row,
      secret: this.unwrapSecret('access-key', row),
      caller,
    });
  }

  addSession(row: SessionRow): void {
    const caller = this.callerFor(row.principalArn, row.accessKeyId, row.sessionName);
    if (caller === undefined) return;
    this.sessions.set(row.accessKeyId, { row, secret: this.unwrapSecret('session', row), caller });
  }

  setPolicy(principalArnText: string, name: string, document: string): void {
    let named = this.policies.get(principalArnText);
    if (named === undefined)
      this.policies.set(principalArnText, (named = new Map<string, string>()));
    named.set(name, document);
    this.policyLists.set(principalArnText, [...named.values()]);
  }

  removePolicy(principalArnText: string, name: string): void {
    const named = this.policies.get(principalArnText);
    if (named === undefined) return;
    named.delete(name);
    this.policyLists.set(principalArnText, [...named.values()]);
  }

  setTag(principalArnText: string, key: string, value: string): void {
    let tags = this.tags.get(principalArnText);
    if (tags === undefined)
      this.tags.set(principalArnText, (tags = Object.create(null) as Record<string, string>));
    tags[key] = value;
  }

  /** Forgets a principal and everything hanging off it. */
  removePrincipal(arn: string): void {
    this.principals.delete(arn);
    this.policies.delete(arn);
    this.policyLists.delete(arn);
    this.tags.delete(arn);
    for (const [id, k] of this.accessKeys)
      if (k.row.principalArn === arn) this.accessKeys.delete(id);
    for (const [id, s] of this.sessions) if (s.row.principalArn === arn) this.sessions.delete(id);
  }

  /**
   * The secret and caller for a signing access key. Unknown, inactive or mismatched credentials are
   * UnrecognizedClientException; a valid session past its expiry is ExpiredTokenException.
   */
  resolveCredential(
    accessKeyId: string,
    sessionToken: string | undefined,
    nowMs: number,
  ): { readonly secret: KeyObject; readonly principal: Caller } {
    const key = this.accessKeys.get(accessKeyId);
    if (key !== undefined) {
      const row = key.row as AccessKeyRow;
      if (row.status !== 'Active' || sessionToken !== undefined) throw unrecognizedClient();
      return { secret: key.secret, principal: key.caller };
    }
    const session = this.sessions.get(accessKeyId);
    if (session === undefined || sessionToken === undefined) throw unrecognizedClient();
    const row = session.row as SessionRow;
    // Precondition: the session token must match the one issued, compared in constant time.
    if (!timingSafeEqual(sha256(sessionToken), row.tokenSha256)) throw unrecognizedClient();
    // Precondition: session credentials are refused after their expiry.
    if (nowMs >= row.expiresAt) throw expiredToken();
    return { secret: session.secret, principal: session.caller };
  }

  identityPolicies(principalArnText: string): readonly string[] {
    return this.policyLists.get(iamArnOf(principalArnText)) ?? NONE;
  }

  principalTags(principalArnText: string): Readonly<Record<string, string>> {
    return this.tags.get(iamArnOf(principalArnText)) ?? {};
  }

  exists(principalArnText: string): boolean {
    const arn = iamArnOf(principalArnText);
    if (this.principals.has(arn)) return true;
    const accountId = arn.split(':')[4] ?? '';
    return this.accounts.has(accountId) && arn === rootArn(this.partition, accountId);
  }
}
