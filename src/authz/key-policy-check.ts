// Checks that every principal a new key policy names exists (AWS: "principals must exist and be
// visible to KMS"). Never evaluates the policy.
import { MalformedPolicyDocumentException } from '../errors.js';
import type { PrincipalDirectory } from './principal-directory.js';
import type { CompiledPolicy } from './policy/compiled-policy.js';
import { INVALID_PRINCIPALS } from './policy/parse-policy.js';
import { callerIdentity } from './policy/principals.js';

export function checkPrincipalsExist(
  policy: CompiledPolicy,
  directory: PrincipalDirectory,
  partition: string,
): void {
  for (const spec of policy.principals) {
    for (const account of spec.accounts) {
      if (!directory.exists(`arn:${partition}:iam::${account}:root`))
        throw new MalformedPolicyDocumentException(INVALID_PRINCIPALS);
    }
    for (const arn of spec.arns) {
      // An assumed-role session names a principal when its role exists.
      const role = callerIdentity(arn, '').roleArn;
      if (!directory.exists(role ?? arn))
        throw new MalformedPolicyDocumentException(INVALID_PRINCIPALS);
    }
  }
}
