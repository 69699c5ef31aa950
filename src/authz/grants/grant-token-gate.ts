// An authorizer wrapper that refuses any request carrying a grant token this server did not issue
// (InvalidGrantTokenException) before the wrapped authorizer decides, whichever way it decides.
import type { Authorizer } from '../authorizer.js';
import type { GrantAuthority } from './grant-checker.js';

export function withGrantTokenCheck(inner: Authorizer, grants: GrantAuthority): Authorizer {
  return {
    authorize(request) {
      grants.checkGrantTokens(request.grantTokens);
      inner.authorize(request);
    },
    checkKeyPolicy(check) {
      inner.checkKeyPolicy(check);
    },
  };
}
