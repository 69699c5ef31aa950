// The authorize step of the pipeline: decides whether a caller may perform a kms: action, on a key or
// (for CreateKey, ListKeys, …) on no key. The policy engine plugs in here.
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
  };
  /** Request condition keys (kms:EncryptionContext:…, kms:RequestAlias, …). */
  readonly conditions?: Readonly<Record<string, string | readonly string[] | number | boolean>>;
  readonly grantTokens?: readonly string[];
}

/** Grants add allows (never denies) for the operations they list, under their constraints. */
export interface GrantChecker {
  allows(request: AuthorizationRequest): boolean;
}

export interface Authorizer {
  /** Throws AccessDeniedException when the request is not allowed. */
  authorize(request: AuthorizationRequest): void;
}

/** Every caller is the account root and may do anything: the behaviour before policies are enforced. */
export const allowAll: Authorizer = {
  authorize() {
    /* allowed */
  },
};
