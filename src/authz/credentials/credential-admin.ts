// Creates, lists and revokes accounts, users, roles, access keys, session credentials, identity
// policies and principal tags: each change is written to the store first, then to the in-memory
// registry. Secrets are returned once, to the caller that created them, and stored only wrapped.
import type { RootKey } from '../../root/root-key.js';
import type {
  AccessKeyRow,
  PrincipalKind,
  PrincipalRow,
  PrincipalStore,
  SessionRow,
} from '../../store/principal-store.js';
import type { Clock } from '../../keys/clock.js';
import {
  ACCOUNT_ID,
  POLICY_NAME,
  PRINCIPAL_NAME,
  SESSION_NAME,
  newId,
  newSecretAccessKey,
  newSessionToken,
  principalArn,
  rootArn,
  secretAad,
} from './identifiers.js';
import { PrincipalRegistry, sha256 } from './principal-registry.js';

/** A usage error of the admin surface (bad name, unknown principal, duplicate): shown as is. */
export class CredentialAdminError extends Error {}

export interface NewAccessKey {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly principalArn: string;
}

export interface NewSession extends NewAccessKey {
  readonly sessionToken: string;
  readonly expiration: Date;
}

/** 15 minutes to 36 hours, as GetSessionToken allows; 12 hours by default. */
export const SESSION_DURATION_SECONDS = { min: 900, max: 129_600, default: 43_200 } as const;

const EXPIRED_SESSION_RETENTION_MS = 24 * 60 * 60 * 1000;

export class CredentialAdmin {
  constructor(
    private readonly store: PrincipalStore,
    readonly registry: PrincipalRegistry,
    private readonly root: RootKey,
    private readonly clock: Clock,
  ) {}

  get partition(): string {
    return this.registry.partition;
  }

  async createAccount(accountId: string): Promise<boolean> {
    if (!ACCOUNT_ID.test(accountId))
      throw new CredentialAdminError(`account id must be 12 digits, got '${accountId}'`);
    if (this.registry.accounts.has(accountId)) return false;
    await this.store.putAccount({ accountId, createdAt: this.clock.now() });
    this.registry.accounts.add(accountId);
    return true;
  }

  private requireAccount(accountId: string): void {
    if (!this.registry.accounts.has(accountId))
      throw new CredentialAdminError(`account ${accountId} does not exist`);
  }

  async createPrincipal(
    accountId: string,
    kind: PrincipalKind,
    name: string,
  ): Promise<PrincipalRow> {
    this.requireAccount(accountId);
    if (!PRINCIPAL_NAME.test(name))
      throw new CredentialAdminError(`invalid ${kind} name '${name}': 1-64 of A-Z a-z 0-9 +=,.@_-`);
    const arn = principalArn(this.partition, accountId, kind, name);
    if (this.registry.principals.has(arn)) throw new CredentialAdminError(`${arn} already exists`);
    const row: PrincipalRow = {
      arn,
      accountId,
      kind,
      name,
      principalId: newId(kind === 'user' ? 'AIDA' : 'AROA'),
      createdAt: this.clock.now(),
    };
    await this.store.putPrincipal(row);
    this.registry.principals.set(arn, row);
    return row;
  }

  /** The ARN of a user or role, or of the account root when `name` is undefined and kind is 'root'. */
  principal(accountId: string, kind: PrincipalKind | 'root', name?: string): string {
    this.requireAccount(accountId);
    if (kind === 'root') return rootArn(this.partition, accountId);
    const arn = principalArn(this.partition, accountId, kind, name ?? '');
    if (!this.registry.principals.has(arn)) throw new CredentialAdminError(`${arn} does not exist`);
    return arn;
  }

  async deletePrincipal(arn: string): Promise<void> {
    if (!this.registry.principals.has(arn)) throw new CredentialAdminError(`${arn} does not exist`);
    await this.store.deletePrincipal(arn);
    this.registry.removePrincipal(arn);
  }

  /** A long-term access key for a user or the account root (roles get sessions only). */
  async createAccessKey(ownerArn: string): Promise<NewAccessKey> {
    if (this.registry.principals.get(ownerArn)?.kind === 'role')
      throw new CredentialAdminError('roles have no access keys; create session credentials');
    const accessKeyId = newId('AKIA');
    const secretAccessKey = newSecretAccessKey();
    const secretBytes = Buffer.from(secretAccessKey, 'utf8');
    const row: AccessKeyRow = {
      accessKeyId,
      principalArn: ownerArn,
      status: 'Active',
      createdAt: this.clock.now(),
      wrappedSecret: this.root.wrap(secretBytes, secretAad('access-key', accessKeyId)),
    };
    secretBytes.fill(0);
    await this.store.putAccessKey(row);
    this.registry.addAccessKey(row);
    return { accessKeyId, secretAccessKey, principalArn: ownerArn };
  }

  async setAccessKeyStatus(accessKeyId: string, status: 'Active' | 'Inactive'): Promise<void> {
    const key = this.registry.accessKeys.get(accessKeyId);
    if (key === undefined)
      throw new CredentialAdminError(`access key ${accessKeyId} does not exist`);
    await this.store.setAccessKeyStatus(accessKeyId, status);
    this.registry.accessKeys.set(accessKeyId, {
      ...key,
      row: { ...(key.row as AccessKeyRow), status },
    });
  }

  /** Deletes an access key or session credentials: they stop working at once. */
  async revokeCredential(accessKeyId: string): Promise<void> {
    if (this.registry.accessKeys.has(accessKeyId)) {
      await this.store.deleteAccessKey(accessKeyId);
      this.registry.accessKeys.delete(accessKeyId);
      return;
    }
    if (this.registry.sessions.has(accessKeyId)) {
      await this.store.deleteSession(accessKeyId);
      this.registry.sessions.delete(accessKeyId);
      return;
    }
    throw new CredentialAdminError(`access key ${accessKeyId} does not exist`);
  }

  /** Temporary credentials (ASIA…, secret, session token) for a user, role or account root. */
  async createSession(
    ownerArn: string,
    options: { sessionName?: string; durationSeconds?: number } = {},
  ): Promise<NewSession> {
    const sessionName = options.sessionName ?? `trent-${String(this.clock.now())}`;
    if (!SESSION_NAME.test(sessionName))
      throw new CredentialAdminError(
        `invalid session name '${sessionName}': 2-64 of A-Z a-z 0-9 +=,.@_-`,
      );
    const duration = options.durationSeconds ?? SESSION_DURATION_SECONDS.default;
    if (
      !Number.isInteger(duration) ||
      duration < SESSION_DURATION_SECONDS.min ||
      duration > SESSION_DURATION_SECONDS.max
    ) {
      throw new CredentialAdminError(
        `duration must be ${String(SESSION_DURATION_SECONDS.min)}-${String(SESSION_DURATION_SECONDS.max)} seconds`,
      );
    }
    const accessKeyId = newId('ASIA');
    const secretAccessKey = newSecretAccessKey();
    const sessionToken = newSessionToken();
    const now = this.clock.now();
    const secretBytes = Buffer.from(secretAccessKey, 'utf8');
    const row: SessionRow = {
      accessKeyId,
      principalArn: ownerArn,
      sessionName,
      createdAt: now,
      expiresAt: now + duration * 1000,
      wrappedSecret: this.root.wrap(secretBytes, secretAad('session', accessKeyId)),
      tokenSha256: sha256(sessionToken),
    };
    secretBytes.fill(0);
    await this.store.putSession(row);
    this.registry.addSession(row);
    return {
      accessKeyId,
      secretAccessKey,
      sessionToken,
      principalArn: ownerArn,
      expiration: new Date(row.expiresAt),
    };
  }

  /** Deletes session credentials that expired more than a day ago (until then they answer
   *  ExpiredTokenException rather than UnrecognizedClientException). Returns how many. */
  async pruneExpiredSessions(): Promise<number> {
    const cutoff = this.clock.now() - EXPIRED_SESSION_RETENTION_MS;
    let pruned = 0;
    for (const [id, session] of this.registry.sessions) {
      if ((session.row as SessionRow).expiresAt >= cutoff) continue;
      await this.store.deleteSession(id);
      this.registry.sessions.delete(id);
      pruned++;
    }
    return pruned;
  }

  async attachPolicy(ownerArn: string, policyName: string, document: string): Promise<void> {
    if (!this.registry.principals.has(ownerArn))
      throw new CredentialAdminError(
        `identity policies attach to users and roles; ${ownerArn} is neither`,
      );
    if (!POLICY_NAME.test(policyName))
      throw new CredentialAdminError(`invalid policy name '${policyName}'`);
    try {
      JSON.parse(document);
    } catch {
      throw new CredentialAdminError(`policy ${policyName} is not valid JSON`);
    }
    await this.store.putIdentityPolicy({ principalArn: ownerArn, policyName, document });
    this.registry.setPolicy(ownerArn, policyName, document);
  }

  async detachPolicy(ownerArn: string, policyName: string): Promise<void> {
    if (this.registry.policies.get(ownerArn)?.has(policyName) !== true)
      throw new CredentialAdminError(`${ownerArn} has no policy named ${policyName}`);
    await this.store.deleteIdentityPolicy(ownerArn, policyName);
    this.registry.removePolicy(ownerArn, policyName);
  }

  async tagPrincipal(ownerArn: string, tagKey: string, tagValue: string): Promise<void> {
    if (!this.registry.principals.has(ownerArn))
      throw new CredentialAdminError(`${ownerArn} does not exist`);
    await this.store.putPrincipalTag({ principalArn: ownerArn, tagKey, tagValue });
    this.registry.setTag(ownerArn, tagKey, tagValue);
  }

  async untagPrincipal(ownerArn: string, tagKey: string): Promise<void> {
    await this.store.deletePrincipalTag(ownerArn, tagKey);
    const tags = this.registry.tags.get(ownerArn);
    if (tags !== undefined) Reflect.deleteProperty(tags, tagKey);
  }
}
