// Checks shared by the grant operations that the model cannot express: exactly-one-of members,
// constraint sizes, operations the key supports, grant id form, list limits.
import { InvalidGrantIdException, ValidationException } from '../../errors.js';
import { hasContextConstraint } from '../../authz/grants/constraints.js';
import type { GrantConstraints, GrantOperation } from '../../authz/grants/grant.js';
import {
  CONTEXT_FREE_MANAGEMENT,
  CONTEXT_OPERATIONS,
  operationsSupportedBy,
} from '../../authz/grants/grant-operations.js';
import { isWellFormedGrantId } from '../../authz/grants/grant-token.js';
import type { KmsKey } from '../../keys/keyring.js';

const MAX_CONSTRAINT_PAIRS = 8;
const MAX_CONSTRAINT_VALUE_CHARS = 384;

/** Precondition: exactly one of two members must be present. */
export function requireExactlyOne(a: unknown, b: unknown, nameA: string, nameB: string): void {
  if ((a === undefined) === (b === undefined)) {
    throw new ValidationException(`You must specify either ${nameA} or ${nameB}, but not both.`);
  }
}

/** Precondition: each encryption-context constraint has at most 8 pairs, values of at most 384 chars. */
export function checkConstraintSizes(constraints: GrantConstraints | undefined): void {
  const parts: [string, Readonly<Record<string, string>> | undefined][] = [
    ['encryptionContextEquals', constraints?.encryptionContextEquals],
    ['encryptionContextSubset', constraints?.encryptionContextSubset],
  ];
  for (const [name, pairs] of parts) {
    if (!pairs) continue;
    const entries = Object.entries(pairs);
    if (entries.length > MAX_CONSTRAINT_PAIRS) {
      throw new ValidationException(
        `1 validation error detected: Value at 'constraints.${name}' failed to satisfy constraint: Map must have at most ${MAX_CONSTRAINT_PAIRS} entries`,
      );
    }
    if (entries.some(([, v]) => v.length > MAX_CONSTRAINT_VALUE_CHARS)) {
      throw new ValidationException(
        `1 validation error detected: Value at 'constraints.${name}' failed to satisfy constraint: Map value must have length less than or equal to ${MAX_CONSTRAINT_VALUE_CHARS}`,
      );
    }
  }
}

/** Precondition: every operation of the grant must be one the key supports. */
export function checkOperationsSupported(key: KmsKey, operations: readonly GrantOperation[]): void {
  const supported = operationsSupportedBy(key.row.keySpec, key.row.keyUsage);
  const refused = operations.filter((op) => !supported.has(op));
  if (refused.length > 0) {
    throw new ValidationException(
      `Grant operations [${refused.join(', ')}] are not valid for ${key.arn}: its key spec is ${key.row.keySpec} and its key usage is ${key.row.keyUsage}.`,
    );
  }
}

/** Precondition: encryption-context constraints only sit beside operations that take a context. */
export function checkConstraintsApply(
  constraints: GrantConstraints | undefined,
  operations: readonly GrantOperation[],
): void {
  if (!hasContextConstraint(constraints)) return;
  const refused = operations.filter(
    (op) => !CONTEXT_OPERATIONS.has(op) && !CONTEXT_FREE_MANAGEMENT.has(op),
  );
  if (refused.length > 0) {
    throw new ValidationException(
      `Encryption context grant constraints are not supported with the operations [${refused.join(', ')}], which take no encryption context.`,
    );
  }
}

/** Precondition: a grant id must be 64 lower-case hex characters. */
export function requireGrantIdForm(grantId: string): void {
  if (!isWellFormedGrantId(grantId)) throw new InvalidGrantIdException('Invalid grant ID.');
}

/** Precondition: List* grant operations take a Limit of 1 to 100 (the model allows up to 1000). */
export function grantListLimit(limit: number | undefined): number {
  if (limit !== undefined && limit > 100) {
    throw new ValidationException(
      `1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100`,
    );
  }
  return limit ?? 50;
}
