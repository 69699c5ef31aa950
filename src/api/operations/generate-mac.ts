// GenerateMac: an HMAC of a message under a GENERATE_VERIFY_MAC key.
import { generateHmac } from '../../crypto/hmac.js';
import { defineOperation } from '../services.js';
import { resolveMacKey, type MacInput } from './mac.js';

export const generateMac = defineOperation<MacInput>('GenerateMac', (input, ctx) => {
  const { key, secret } = resolveMacKey('GenerateMac', input, ctx);
  const mac = generateHmac(secret, input.MacAlgorithm, input.Message);
  return { Mac: mac.toString('base64'), MacAlgorithm: input.MacAlgorithm, KeyId: key.arn };
});
