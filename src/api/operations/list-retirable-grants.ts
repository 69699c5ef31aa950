// ListRetirableGrants: grants on keys of any account whose retiring principal is the given principal of
// the caller's account. Authorized by identity policies alone (no key resource).
import { AccessDeniedException } from '../../errors.js';
import { accountOfPrincipal } from '../../authz/grants/principal-match.js';
import { defineOperation } from '../services.js';
import { page, pageTail } from './common.js';
import { grantListLimit, requireExactlyOne } from './grant-checks.js';
import { grantListEntry, grantPageKey } from './grant-wire.js';

interface ListRetirableGrantsInput {
  Limit?: number;
  Marker?: string;
  RetiringPrincipal?: string;
  RetiringServicePrincipal?: string;
}

export const listRetirableGrants = defineOperation<ListRetirableGrantsInput>(
  'ListRetirableGrants',
  (input, { caller, services }) => {
    const limit = grantListLimit(input.Limit);
    requireExactlyOne(
      input.RetiringPrincipal,
      input.RetiringServicePrincipal,
      'RetiringPrincipal',
      'RetiringServicePrincipal',
    );
    const principal = input.RetiringPrincipal ?? input.RetiringServicePrincipal ?? '';
    services.authorizer.authorize({ caller, action: 'kms:ListRetirableGrants' });
    // Precondition: the retiring principal must be in the caller's account; service principals can
    // be listed only by service callers, which Trent does not have.
    const account = accountOfPrincipal(principal);
    if (
      input.RetiringServicePrincipal !== undefined ||
      (account !== undefined && account !== caller.accountId)
    ) {
      throw new AccessDeniedException(
        `User: ${caller.arn} is not authorized to perform: kms:ListRetirableGrants on resource: ${principal}`,
      );
    }
    const grants = services.grants.retirableBy(principal);
    const result = page(grants, grantPageKey, limit, input.Marker);
    return {
      Grants: result.items.map((g) =>
        grantListEntry(g, services.keyring.get(g.keyId)?.arn ?? g.keyId),
      ),
      ...pageTail(result.nextMarker),
    };
  },
);
