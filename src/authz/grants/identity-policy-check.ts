// Asks an authorizer whether the caller's identity policies alone allow a request on a key: the
// request is put as an action on the key's ARN with no key resource, so no key policy and no grant
// takes part. Used for grants and retiring principals that name a whole account.
import { KmsError } from '../../errors.js';
import type { AuthorizationRequest, Authorizer } from '../authorizer.js';

export function identityPolicyCheck(
  authorizer: Authorizer,
  request: AuthorizationRequest,
): boolean {
  try {
    authorizer.authorize({
      caller: request.caller,
      action: request.action,
      ...(request.resource ? { resourceArn: request.resource.arn } : {}),
      ...(request.conditions ? { conditions: request.conditions } : {}),
    });
    return true;
  } catch (err) {
    if (err instanceof KmsError && err.type === 'AccessDeniedException') return false;
    throw err;
  }
}
