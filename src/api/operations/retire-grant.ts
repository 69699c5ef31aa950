// RetireGrant: deletes a grant named by its token, or by key ARN and grant id. Permission comes from
// the grant itself (retiring principal, grantee with RetireGrant, issuing account), not the key policy.
import { AccessDeniedException, NotFoundException, ValidationException } from '../../errors.js';
import type { Grant } from '../../authz/grants/grant.js';
import { retirePermission } from '../../authz/grants/retire-permission.js';
import { findKey } from '../../keys/resolve.js';
import { defineOperation, type OperationContext } from '../services.js';
import { endDryRun } from './common.js';
import { requireGrantIdForm } from './grant-checks.js';

interface RetireGrantInput {
  GrantToken?: string;
  KeyId?: string;
  GrantId?: string;
  DryRun?: boolean;
}

function grantToRetire(input: RetireGrantInput, { caller, services }: OperationContext): Grant {
  if (input.GrantToken !== undefined) return services.grants.grantOfToken(input.GrantToken);
  // Precondition: without a token, both the key and the grant id identify the grant.
  if (input.KeyId === undefined || input.GrantId === undefined) {
    throw new ValidationException(
      'You must specify either a GrantToken or both a KeyId and a GrantId.',
    );
  }
  const key = findKey(services, input.KeyId, caller, false);
  requireGrantIdForm(input.GrantId);
  const grant = services.grants.get(input.GrantId);
  if (!grant || grant.keyId !== key.row.keyId) {
    throw new NotFoundException(`Grant ${input.GrantId} does not exist on ${key.arn}`);
  }
  return grant;
}

export const retireGrant = defineOperation<RetireGrantInput>('RetireGrant', async (input, ctx) => {
  const { caller, services } = ctx;
  const grant = grantToRetire(input, ctx);
  const key = services.keyring.get(grant.keyId);
  if (!key) throw new NotFoundException(`Grant ${grant.grantId} does not exist`);
  services.noteResolvedKey?.(key);
  const permission = retirePermission(grant, caller, key.row.accountId);
  if (permission === undefined) {
    throw new AccessDeniedException(
      `User: ${caller.arn} is not authorized to perform: kms:RetireGrant on resource: ${key.arn}`,
    );
  }
  // A principal of a named account retires only when the account's identity policies allow it.
  if (permission === 'account')
    services.authorizer.authorize({ caller, action: 'kms:RetireGrant', resourceArn: key.arn });
  endDryRun(input.DryRun);
  await services.grants.remove(grant.grantId);
  return {};
});
