// Tag rules for KMS keys: at most 50, no reserved aws: prefix, no duplicate keys in one request.
import { LimitExceededException, TagException } from '../errors.js';
import type { TagRow } from '../store/store.js';

export const MAX_TAGS_PER_KEY = 50;

/** Checks the tags of one request; returns them as rows. */
export function checkTags(tags: readonly { TagKey: string; TagValue: string }[]): TagRow[] {
  const seen = new Set<string>();
  const rows: TagRow[] = [];
  for (const t of tags) {
    if (t.TagKey.toLowerCase().startsWith('aws:')) {
      throw new TagException(
        `Tag key '${t.TagKey}' is invalid: tag keys may not begin with 'aws:'.`,
      );
    }
    if (seen.has(t.TagKey))
      throw new TagException(`Duplicate tag key '${t.TagKey}' in the request.`);
    seen.add(t.TagKey);
    rows.push({ tagKey: t.TagKey, tagValue: t.TagValue });
  }
  return rows;
}

/** Merges new tags over existing ones (overwriting values of equal keys), enforcing the per-key limit. */
export function mergeTags(existing: readonly TagRow[], added: readonly TagRow[]): TagRow[] {
  const merged = new Map(existing.map((t) => [t.tagKey, t.tagValue]));
  for (const t of added) merged.set(t.tagKey, t.tagValue);
  if (merged.size > MAX_TAGS_PER_KEY) {
    throw new LimitExceededException(
      `A KMS key can have at most ${String(MAX_TAGS_PER_KEY)} tags.`,
    );
  }
  return [...merged].map(([tagKey, tagValue]) => ({ tagKey, tagValue }));
}
