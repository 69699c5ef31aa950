// DescribeKey: the key's metadata, in every state.
import { findKey, authorizeOnKey } from '../../keys/resolve.js';
import { defineOperation } from '../services.js';
import { keyMetadata } from './key-metadata.js';

interface DescribeKeyInput {
  KeyId: string;
  GrantTokens?: string[];
}

export const describeKey = defineOperation<DescribeKeyInput>(
  'DescribeKey',
  (input, { caller, services }) => {
    const key = findKey(services, input.KeyId, caller, true);
    authorizeOnKey(
      services,
      {
        caller,
        action: 'kms:DescribeKey',
        grantTokens: input.GrantTokens,
      },
      key,
    );
    return { KeyMetadata: keyMetadata(key) };
  },
);
