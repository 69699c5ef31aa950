// The compiled form of a policy document: what evaluation walks on the hot path. Never parses JSON.
import type { ConditionTest } from './condition.js';
import type { CallerIdentity, PrincipalMatch, PrincipalSpec } from './principals.js';

export type Effect = 'Allow' | 'Deny';

export interface CompiledStatement {
  readonly sid: string | undefined;
  readonly effect: Effect;
  /** Undefined in identity policies, which apply to the principal they are attached to. */
  readonly principal: ((caller: CallerIdentity) => PrincipalMatch) | undefined;
  /** Lower-cased action name → whether Action/NotAction covers it. */
  readonly action: (lowerCaseAction: string) => boolean;
  readonly resource: (arn: string) => boolean;
  readonly condition: ConditionTest | undefined;
}

export interface CompiledPolicy {
  /** Statements that can take effect (a statement without Action or Resource has none). */
  readonly statements: readonly CompiledStatement[];
  /** Every Principal and NotPrincipal element, for the existence check when the policy is set. */
  readonly principals: readonly PrincipalSpec[];
}
