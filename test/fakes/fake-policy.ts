// A stand-in for the policy side of authorization, typed against the real Authorizer: a flat list of
// Allow/Deny statements (principal ARN or '*', action or 'kms:*'), combined with grants the way AWS
// combines them (explicit deny wins; otherwise a policy allow or a grant allow is enough). A request
// without a key resource is decided by the statements alone, like an identity-policy-only operation.
import { AccessDeniedException } from '../../src/errors.js';
import type { AuthorizationRequest, Authorizer, GrantChecker } from '../../src/authz/authorizer.js';

export interface FakeStatement {
  readonly effect: 'Allow' | 'Deny';
  readonly principal: string;
  readonly action: string;
}

export class FakePolicyAuthorizer implements Authorizer {
  readonly statements: FakeStatement[];
  readonly #grants: GrantChecker;

  constructor(statements: FakeStatement[], grants: GrantChecker) {
    this.statements = statements;
    this.#grants = grants;
  }

  checkKeyPolicy(): void {
    /* every policy is acceptable here */
  }

  authorize(request: AuthorizationRequest): void {
    const applies = this.statements.filter(
      (s) =>
        (s.principal === '*' || s.principal === request.caller.arn) &&
        (s.action === 'kms:*' || s.action === request.action),
    );
    const denied = applies.some((s) => s.effect === 'Deny');
    const allowed =
      !denied &&
      (applies.some((s) => s.effect === 'Allow') ||
        (request.resource !== undefined && this.#grants.allows(request)));
    if (!allowed) {
      throw new AccessDeniedException(
        `User: ${request.caller.arn} is not authorized to perform: ${request.action} on resource: ${request.resource?.arn ?? '*'}`,
      );
    }
  }
}
