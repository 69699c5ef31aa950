// The checks every stored key policy passes: valid JSON object, within AWS's 32 KB limit.
// The policy language itself is parsed and enforced by authz.
import { LimitExceededException, MalformedPolicyDocumentException } from '../errors.js';

export const MAX_POLICY_BYTES = 32 * 1024;

export function checkPolicyDocument(policy: string): void {
  if (Buffer.byteLength(policy, 'utf8') > MAX_POLICY_BYTES) {
    throw new LimitExceededException(
      `The key policy exceeds the maximum size of ${String(MAX_POLICY_BYTES)} bytes.`,
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(policy);
  } catch {
    throw new MalformedPolicyDocumentException('The new key policy is not valid JSON.');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new MalformedPolicyDocumentException('The new key policy must be a JSON object.');
  }
  if (!('Statement' in doc))
    throw new MalformedPolicyDocumentException('The new key policy has no Statement.');
}
