// UntagResource: removes tags from a key by tag key; absent tag keys are ignored.
import { untagKey } from '../../keys/tagging.js';
import { defineOperation } from '../services.js';

interface UntagResourceInput {
  KeyId: string;
  TagKeys: string[];
}

export const untagResource = defineOperation<UntagResourceInput>(
  'UntagResource',
  async (input, { caller, services }) => {
    await untagKey(services, { keyRef: input.KeyId, caller, tagKeys: input.TagKeys });
    return {};
  },
);
