// ListResourceTags: a key's tags in tag-key order, paged (Limit 1..50, default 50); works in every key state.
import { resolveUsableKey } from '../../keys/resolve.js';
import { defineOperation } from '../services.js';
import { page, pageTail } from './common.js';
import { pageLimit } from './page-limit.js';

interface ListResourceTagsInput {
  KeyId: string;
  Limit?: number;
  Marker?: string;
}

export const listResourceTags = defineOperation<ListResourceTagsInput>(
  'ListResourceTags',
  (input, { caller, services }) => {
    const limit = pageLimit(input.Limit, 50, 50);
    const key = resolveUsableKey(services, {
      ref: input.KeyId,
      caller,
      action: 'kms:ListResourceTags',
      rule: 'any',
      allowAlias: false,
    });
    const tags = [...key.tags].sort((a, b) =>
      a.tagKey < b.tagKey ? -1 : a.tagKey > b.tagKey ? 1 : 0,
    );
    const result = page(tags, (t) => t.tagKey, limit, input.Marker);
    return {
      Tags: result.items.map((t) => ({ TagKey: t.tagKey, TagValue: t.tagValue })),
      ...pageTail(result.nextMarker),
    };
  },
);
