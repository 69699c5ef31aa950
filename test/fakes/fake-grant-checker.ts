// A GrantChecker for authorizer tests: allows the listed (grantee ARN, action) pairs and records calls.
import type { AuthorizationRequest, GrantChecker } from '../../src/authz/authorizer.js';

export class FakeGrantChecker implements GrantChecker {
  readonly #allowed = new Set<string>();
  readonly calls: AuthorizationRequest[] = [];

  allow(granteeArn: string, action: string): this {
    this.#allowed.add(`${granteeArn} ${action}`);
    return this;
  }

  allows(request: AuthorizationRequest): boolean {
    this.calls.push(request);
    return this.#allowed.has(`${request.caller.arn} ${request.action}`);
  }
}
