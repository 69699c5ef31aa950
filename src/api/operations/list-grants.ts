// ListGrants: the grants of one key, oldest first, optionally filtered by grant id or grantee.
import { authorizeOnKey, findKey } from '../../keys/resolve.js';
import { principalKey } from '../../authz/grants/principal-match.js';
import { defineOperation } from '../services.js';
import { page, pageTail } from './common.js';
import { grantListLimit, requireGrantIdForm } from './grant-checks.js';
import { grantListEntry, grantPageKey } from './grant-wire.js';
import { ValidationException } from '../../errors.js';

interface ListGrantsInput {
  Limit?: number;
  Marker?: string;
  KeyId: string;
  GrantId?: string;
  GranteePrincipal?: string;
  GranteeServicePrincipal?: string;
}

export const listGrants = defineOperation<ListGrantsInput>(
  'ListGrants',
  (input, { caller, services }) => {
    const limit = grantListLimit(input.Limit);
    if (input.GranteePrincipal !== undefined && input.GranteeServicePrincipal !== undefined) {
      throw new ValidationException(
        'You can specify either GranteePrincipal or GranteeServicePrincipal, but not both.',
      );
    }
    const key = findKey(services, input.KeyId, caller, false);
    authorizeOnKey(services, { caller, action: 'kms:ListGrants' }, key);
    if (input.GrantId !== undefined) requireGrantIdForm(input.GrantId);
    const grantee =
      input.GranteePrincipal !== undefined ? principalKey(input.GranteePrincipal) : undefined;
    const grants = services.grants
      .onKey(key.row.keyId)
      .filter(
        (g) =>
          (input.GrantId === undefined || g.grantId === input.GrantId) &&
          (grantee === undefined ||
            (g.granteePrincipal !== undefined && principalKey(g.granteePrincipal) === grantee)) &&
          (input.GranteeServicePrincipal === undefined ||
            g.granteeServicePrincipal === input.GranteeServicePrincipal),
      );
    const result = page(grants, grantPageKey, limit, input.Marker);
    return {
      Grants: result.items.map((g) => grantListEntry(g, key.arn)),
      ...pageTail(result.nextMarker),
    };
  },
);
