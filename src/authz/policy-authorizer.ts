// The Authorizer that enforces key policies, identity policies and grants. Compiled policies are
// cached by document text; the hot path parses nothing. Never logs request values.
import { accessDenied } from './access-denied.js';
import type {
  AuthorizationRequest,
  Authorizer,
  GrantChecker,
  KeyPolicyCheck,
} from './authorizer.js';
import { decide, type Decision } from './decide.js';
import { checkPrincipalsExist } from './key-policy-check.js';
import { MalformedPolicyDocumentException } from '../errors.js';
import type { PrincipalDirectory } from './principal-directory.js';
import { callerIdentity, type CallerIdentity } from './policy/principals.js';
import { PolicyCache } from './policy/policy-cache.js';
import { RequestContext } from './request-context.js';

export interface PolicyAuthorizerDeps {
  readonly directory: PrincipalDirectory;
  /** Grants add allows when policies do not; absent until grants exist. */
  readonly grants?: GrantChecker;
  /** The partition of account-id principals, e.g. 'aws'. */
  readonly partition: string;
  /** Epoch milliseconds, for aws:CurrentTime and aws:EpochTime. */
  readonly now?: () => number;
  /** aws:SecureTransport: whether requests arrive over TLS. */
  readonly isSecureTransport?: boolean;
}

const MAX_CACHED_IDENTITIES = 10_000;

export const LOCKOUT_MESSAGE =
  'The new key policy will not allow you to update the key policy in the future.';

export function createPolicyAuthorizer(deps: PolicyAuthorizerDeps): Authorizer {
  const keyPolicies = new PolicyCache('key');
  const identityPolicies = new PolicyCache('identity');
  const now = deps.now ?? Date.now;
  const isSecureTransport = deps.isSecureTransport ?? false;
  const identities = new Map<string, CallerIdentity>();

  function identityOf(arn: string, accountId: string): CallerIdentity {
    let identity = identities.get(arn);
    if (identity?.accountId !== accountId) {
      if (identities.size >= MAX_CACHED_IDENTITIES) identities.clear();
      identity = callerIdentity(arn, accountId);
      identities.set(arn, identity);
    }
    return identity;
  }

  function evaluate(request: AuthorizationRequest, keyPolicyText?: string): Decision {
    const { caller, resource } = request;
    const identity = identityOf(caller.arn, caller.accountId);
    const context = new RequestContext({
      request,
      identity,
      principalTags: () => deps.directory.principalTags(identity.roleArn ?? caller.arn),
      now,
      isSecureTransport,
    });
    const policies = identity.isRoot
      ? []
      : deps.directory
          .identityPolicies(identity.roleArn ?? caller.arn)
          .map((text) => identityPolicies.get(text));
    const policyText = keyPolicyText ?? resource?.policy;
    return decide({
      request: {
        caller: identity,
        action: request.action.toLowerCase(),
        resource: resource?.arn ?? request.resourceArn ?? '*',
        context,
      },
      identityPolicies: policies,
      key:
        resource && policyText !== undefined
          ? { policy: keyPolicies.get(policyText), accountId: resource.accountId }
          : undefined,
    });
  }

  return {
    authorize(request) {
      const decision = evaluate(request);
      if (decision.allowed) return;
      const explicit = decision.reason.startsWith('explicit-deny');
      // Grants only add allows, and never over an explicit deny.
      if (!explicit && request.resource && deps.grants?.allows(request)) return;
      const resourceArn = request.resource?.arn ?? request.resourceArn ?? '*';
      throw accessDenied(request.caller.arn, request.action, resourceArn, decision.reason);
    },

    checkKeyPolicy(check: KeyPolicyCheck) {
      const compiled = keyPolicies.get(check.policy);
      checkPrincipalsExist(compiled, deps.directory, deps.partition);
      if (check.bypassLockoutCheck) return;
      // Precondition: the caller must still be allowed kms:PutKeyPolicy under the new policy.
      const decision = evaluate(
        {
          caller: check.caller,
          action: 'kms:PutKeyPolicy',
          resource: {
            arn: check.keyArn,
            accountId: check.accountId,
            policy: check.policy,
            tags: [],
            keyId: check.keyId,
          },
          conditions: { 'kms:BypassPolicyLockoutSafetyCheck': false },
        },
        check.policy,
      );
      if (!decision.allowed) throw new MalformedPolicyDocumentException(LOCKOUT_MESSAGE);
    },
  };
}
