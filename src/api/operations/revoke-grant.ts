// RevokeGrant: deletes a grant of a key; needs kms:RevokeGrant on the key, as key administrators have.
import { NotFoundException } from '../../errors.js';
import { authorizeOnKey, findKey } from '../../keys/resolve.js';
import { defineOperation } from '../services.js';
import { endDryRun } from './common.js';
import { requireGrantIdForm } from './grant-checks.js';

interface RevokeGrantInput {
  KeyId: string;
  GrantId: string;
  DryRun?: boolean;
}

export const revokeGrant = defineOperation<RevokeGrantInput>(
  'RevokeGrant',
  async (input, { caller, services }) => {
    const key = findKey(services, input.KeyId, caller, false);
    authorizeOnKey(services, { caller, action: 'kms:RevokeGrant' }, key);
    requireGrantIdForm(input.GrantId);
    const grant = services.grants.get(input.GrantId);
    if (!grant || grant.keyId !== key.row.keyId) {
      throw new NotFoundException(`Grant ${input.GrantId} does not exist on ${key.arn}`);
    }
    endDryRun(input.DryRun);
    await services.grants.remove(grant.grantId);
    return {};
  },
);
