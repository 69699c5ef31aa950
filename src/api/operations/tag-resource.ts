// TagResource: adds or overwrites tags on a key (key id or key ARN).
import { checkTags } from '../../keys/tags.js';
import { tagKey } from '../../keys/tagging.js';
import { defineOperation } from '../services.js';

interface TagResourceInput {
  KeyId: string;
  Tags: { TagKey: string; TagValue: string }[];
}

export const tagResource = defineOperation<TagResourceInput>(
  'TagResource',
  async (input, { caller, services }) => {
    await tagKey(services, { keyRef: input.KeyId, caller, tags: checkTags(input.Tags) });
    return {};
  },
);
