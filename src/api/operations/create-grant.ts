// CreateGrant: adds a grant to a key and returns its id and a fresh token. Idempotent by Name.
import type { GrantOperation, GrantSpec } from '../../authz/grants/grant.js';
import { stateError } from '../../keys/key-state.js';
import { authorizeOnKey, findKey } from '../../keys/resolve.js';
import { defineOperation } from '../services.js';
import { endDryRun } from './common.js';
import {
  checkConstraintsApply,
  checkConstraintSizes,
  checkOperationsSupported,
  requireExactlyOne,
} from './grant-checks.js';
import { constraintsFromWire, type ConstraintsInput } from './grant-wire.js';
import { ValidationException } from '../../errors.js';

interface CreateGrantInput {
  KeyId: string;
  GranteePrincipal?: string;
  RetiringPrincipal?: string;
  Operations: GrantOperation[];
  Constraints?: ConstraintsInput;
  GrantTokens?: string[];
  Name?: string;
  DryRun?: boolean;
  GranteeServicePrincipal?: string;
  RetiringServicePrincipal?: string;
}

export const createGrant = defineOperation<CreateGrantInput>(
  'CreateGrant',
  async (input, { caller, services }) => {
    requireExactlyOne(
      input.GranteePrincipal,
      input.GranteeServicePrincipal,
      'GranteePrincipal',
      'GranteeServicePrincipal',
    );
    if (input.RetiringPrincipal !== undefined && input.RetiringServicePrincipal !== undefined) {
      throw new ValidationException(
        'You can specify either RetiringPrincipal or RetiringServicePrincipal, but not both.',
      );
    }
    const operations = [...new Set(input.Operations)];
    if (operations.length === 0) {
      throw new ValidationException('A grant must allow at least one operation.');
    }
    const constraints = constraintsFromWire(input.Constraints);
    checkConstraintSizes(constraints);
    // Precondition: a grant for a service principal needs a SourceArn constraint and a retiring principal.
    if (
      input.GranteeServicePrincipal !== undefined &&
      (constraints?.sourceArn === undefined ||
        (input.RetiringPrincipal === undefined && input.RetiringServicePrincipal === undefined))
    ) {
      throw new ValidationException(
        'A grant for a GranteeServicePrincipal requires a SourceArn constraint and a RetiringPrincipal or RetiringServicePrincipal.',
      );
    }
    const key = findKey(services, input.KeyId, caller, false);
    authorizeOnKey(
      services,
      {
        caller,
        action: 'kms:CreateGrant',
        conditions: {
          'kms:GrantOperations': operations,
          'kms:GrantIsForAWSResource': false,
          ...(input.GranteePrincipal !== undefined
            ? { 'kms:GranteePrincipal': input.GranteePrincipal }
            : {}),
          ...(input.RetiringPrincipal !== undefined
            ? { 'kms:RetiringPrincipal': input.RetiringPrincipal }
            : {}),
          ...(constraints ? { 'kms:GrantConstraintType': constraintTypes(input.Constraints) } : {}),
        },
        proposedGrant: { operations, ...(constraints ? { constraints } : {}) },
        grantTokens: input.GrantTokens,
      },
      key,
    );
    // Precondition: CreateGrant needs a usable key; an Unavailable key (custom key store) still takes grants.
    const refused =
      key.row.state === 'Unavailable' ? undefined : stateError('use', key.row.state, key.arn);
    if (refused) throw refused;
    checkOperationsSupported(key, operations);
    checkConstraintsApply(constraints, operations);
    endDryRun(input.DryRun);
    const spec: GrantSpec = {
      keyId: key.row.keyId,
      issuingAccount: `arn:${services.keyring.partition}:iam::${caller.accountId}:root`,
      operations: new Set(operations),
      ...(input.Name !== undefined ? { name: input.Name } : {}),
      ...(input.GranteePrincipal !== undefined ? { granteePrincipal: input.GranteePrincipal } : {}),
      ...(input.GranteeServicePrincipal !== undefined
        ? { granteeServicePrincipal: input.GranteeServicePrincipal }
        : {}),
      ...(input.RetiringPrincipal !== undefined
        ? { retiringPrincipal: input.RetiringPrincipal }
        : {}),
      ...(input.RetiringServicePrincipal !== undefined
        ? { retiringServicePrincipal: input.RetiringServicePrincipal }
        : {}),
      ...(constraints ? { constraints } : {}),
    };
    const issued = await services.grants.issue(spec, services.clock.now());
    return { GrantToken: issued.grantToken, GrantId: issued.grant.grantId };
  },
);

function constraintTypes(c: ConstraintsInput | undefined): string[] {
  const out: string[] = [];
  if (c?.EncryptionContextEquals) out.push('EncryptionContextEquals');
  if (c?.EncryptionContextSubset) out.push('EncryptionContextSubset');
  return out;
}
