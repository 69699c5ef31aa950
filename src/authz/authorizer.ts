// The authorize step of the pipeline: decides whether a caller may perform a kms: action, on a key or
// (for CreateKey, ListKeys, …) on no key. The policy engine plugs in here.
import type { GrantConstraints } from './grants/grant.js';
import { parsePolicy } from './policy/parse-policy.js';
import type { Caller } from './principal.js';

export interface AuthorizationRequest {
  readonly caller: Caller;
  /** e.g. 'kms:Encrypt'. */
  readonly action: string;
  /** The key the action is on, if any: its ARN, account, policy and tags. */
  readonly resource?: {
    readonly arn: string;
    readonly accountId: string;
    readonly policy: string;
    readonly tags: readonly { readonly tagKey: string; readonly tagValue: string }[];
    readonly keyId: string;
    /** kms:KeySpec, kms:KeyUsage, kms:KeyOrigin and kms:ResourceAliases of the key. */
    readonly keySpec?: string;
    readonly keyUsage?: string;
    readonly origin?: string;
    readonly aliases?: Iterable<string>;
  };
  /** For an action on something other than a key (an alias): its ARN, checked by identity policies only. */
  readonly resourceArn?: string;
  /** Request condition keys (kms:EncryptionContext:…, kms:RequestAlias, …). */
  readonly conditions?: Readonly<Record<string, string | readonly string[] | number | boolean>>;
  readonly grantTokens?: readonly string[] | undefined;
  /** CreateGrant only: the grant asked for, so that a grant's CreateGrant permission can be bounded. */
  readonly proposedGrant?: {
    readonly operations: readonly string[];
    readonly constraints?: GrantConstraints;
  };
}

/** Grants add allows (never denies) for the operations they list, under their constraints. */
export interface GrantChecker {
  allows(request: AuthorizationRequest): boolean;
}

/** A key policy about to be set by CreateKey or PutKeyPolicy. */
export interface KeyPolicyCheck {
  readonly caller: Caller;
  readonly policy: string;
  /** The key the policy is for: the lockout check simulates kms:PutKeyPolicy on it. */
  readonly keyArn: string;
  readonly keyId: string;
  readonly accountId: string;
  readonly bypassLockoutCheck: boolean;
}

export interface Authorizer {
  /** Throws AccessDeniedException when the request is not allowed. */
  authorize(request: AuthorizationRequest): void;
  /** Validates a new key policy: grammar, size, principals, lockout safety. Throws
   * MalformedPolicyDocumentException, LimitExceededException or InvalidArnException. */
  checkKeyPolicy(check: KeyPolicyCheck): void;
}

/** Every caller is the account root and may do anything: the behaviour before policies are enforced.
 * Key policies are still parsed, so a policy accepted here is accepted once policies are enforced
 * (apart from principals that must exist). */
export const allowAll: Authorizer = {
  authorize() {
    /* allowed */
  },
  checkKeyPolicy(check) {
    parsePolicy(check.policy, 'key');
  },
};
