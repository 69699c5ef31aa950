// VerifyMac: recomputes the HMAC and compares in constant time. A mismatch is KMSInvalidMacException,
// never MacValid: false (as AWS does).
import { KMSInvalidMacException } from '../../errors.js';
import { verifyHmac } from '../../crypto/hmac.js';
import { defineOperation } from '../services.js';
import { resolveMacKey, type MacInput } from './mac.js';

interface VerifyMacInput extends MacInput {
  Mac: Buffer;
}

export const verifyMac = defineOperation<VerifyMacInput>('VerifyMac', (input, ctx) => {
  const { key, secret } = resolveMacKey('VerifyMac', input, ctx);
  if (!verifyHmac(secret, input.MacAlgorithm, input.Message, input.Mac)) {
    throw new KMSInvalidMacException('The MAC is not valid for this message and key.');
  }
  return { KeyId: key.arn, MacValid: true, MacAlgorithm: input.MacAlgorithm };
});
