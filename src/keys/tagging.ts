// Tag changes on a key: add/overwrite and remove, under the keyring lock, refused while the key is
// pending deletion (REFERENCE.md §4.3, §10.2). Tag rules themselves live in tags.ts.
import type { Caller } from '../authz/principal.js';
import type { TagRow } from '../store/store.js';
import { resolveUsableKey, type ResolveDeps } from './resolve.js';
import { mergeTags } from './tags.js';

export interface TagChange {
  readonly keyRef: string;
  readonly caller: Caller;
}

/** Adds tags to a key, overwriting the values of keys it already has. */
export function tagKey(
  deps: ResolveDeps,
  change: TagChange & { readonly tags: readonly TagRow[] },
): Promise<void> {
  const key = resolveUsableKey(deps, {
    ref: change.keyRef,
    caller: change.caller,
    action: 'kms:TagResource',
    rule: 'manage',
    allowAlias: false,
  });
  return deps.keyring.exclusive(async () => {
    const fresh = deps.keyring.get(key.row.keyId);
    if (!fresh) return;
    await deps.keyring.putTags(key.row.keyId, mergeTags(fresh.tags, change.tags));
  });
}

/** Removes tags by key; tag keys the key does not have are ignored, as AWS does. */
export function untagKey(
  deps: ResolveDeps,
  change: TagChange & { readonly tagKeys: readonly string[] },
): Promise<void> {
  const key = resolveUsableKey(deps, {
    ref: change.keyRef,
    caller: change.caller,
    action: 'kms:UntagResource',
    rule: 'manage',
    allowAlias: false,
  });
  const removed = new Set(change.tagKeys);
  return deps.keyring.exclusive(async () => {
    const fresh = deps.keyring.get(key.row.keyId);
    if (!fresh) return;
    const kept = fresh.tags.filter((t) => !removed.has(t.tagKey));
    if (kept.length === fresh.tags.length) return;
    await deps.keyring.putTags(key.row.keyId, kept);
  });
}
