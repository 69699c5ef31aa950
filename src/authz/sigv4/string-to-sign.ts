// Step 2 of SigV4: the string to sign (algorithm, request time, credential scope, hash of the
// canonical request). https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
import { sha256Hex } from '../../crypto/sha256.js';
import { ALGORITHM } from './authorization-header.js';

/** @param amzDate the request time as YYYYMMDDTHHMMSSZ; @param scope date/region/service/aws4_request */
export function buildStringToSign(
  amzDate: string,
  scope: string,
  canonicalRequest: string,
): string {
  return `${ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
}
