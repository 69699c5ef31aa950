// AccessDeniedException in the form AWS answers it (IAM "User: … is not authorized to perform: …"
// messages). Names only the caller ARN, the action and the resource ARN; never request values.
import { AccessDeniedException, type KmsError } from '../errors.js';

export type DenialReason =
  'no-resource-policy' | 'no-identity-policy' | 'explicit-deny-resource' | 'explicit-deny-identity';

export function accessDenied(
  callerArn: string,
  action: string,
  resource: string,
  reason: DenialReason,
): KmsError {
  const head = `User: ${callerArn} is not authorized to perform: ${action} on resource: ${resource}`;
  switch (reason) {
    case 'no-resource-policy':
      return new AccessDeniedException(
        `${head} because no resource-based policy allows the ${action} action`,
      );
    case 'no-identity-policy':
      return new AccessDeniedException(
        `${head} because no identity-based policy allows the ${action} action`,
      );
    case 'explicit-deny-resource':
      return new AccessDeniedException(`${head} with an explicit deny in a resource-based policy`);
    case 'explicit-deny-identity':
      return new AccessDeniedException(`${head} with an explicit deny in an identity-based policy`);
  }
}
