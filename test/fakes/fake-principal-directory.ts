// An in-memory PrincipalDirectory for authorizer tests: principals, their identity policies and tags.
import type { PrincipalDirectory } from '../../src/authz/principal-directory.js';

export interface FakePrincipal {
  readonly policies?: readonly (string | object)[];
  readonly tags?: Readonly<Record<string, string>>;
}

export class FakePrincipalDirectory implements PrincipalDirectory {
  readonly #principals = new Map<string, FakePrincipal>();
  lookups = 0;

  constructor(principals: Readonly<Record<string, FakePrincipal>> = {}) {
    for (const [arn, p] of Object.entries(principals)) this.#principals.set(arn, p);
  }

  add(arn: string, principal: FakePrincipal = {}): this {
    this.#principals.set(arn, principal);
    return this;
  }

  identityPolicies(principalArn: string): readonly string[] {
    this.lookups++;
    const policies = this.#principals.get(principalArn)?.policies ?? [];
    return policies.map((p) => (typeof p === 'string' ? p : JSON.stringify(p)));
  }

  principalTags(principalArn: string): Readonly<Record<string, string>> {
    return this.#principals.get(principalArn)?.tags ?? {};
  }

  exists(principalArn: string): boolean {
    return this.#principals.has(principalArn);
  }
}
