// Tag changes on a key: add/overwrite and remove, under the keyring lock, refused while the key is
// pending deletion (REFERENCE.md §4.3, §10.2). Tag rules themselves live in tags.ts.
import { NotFoundException } from '../errors.js';
import type { Caller } from '../authz/principal.js';
import type { TagRow } from '../store/store.js';
import { stateError } from './key-state.js';
import type { KmsKey } from './keyring.js';
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
    const fresh = current(deps, key);
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
    const fresh = current(deps, key);
    const kept = fresh.tags.filter((t) => !removed.has(t.tagKey));
    if (kept.length === fresh.tags.length) return;
    await deps.keyring.putTags(key.row.keyId, kept);
  });
}

/** The key as it is under the lock; its state is checked again, since it may have changed meanwhile. */
function current(deps: ResolveDeps, key: KmsKey): KmsKey {
  const fresh = deps.keyring.get(key.row.keyId);
  if (!fresh) throw new NotFoundException(`Key '${key.arn}' does not exist`);
  const refused = stateError('manage', fresh.row.state, fresh.arn);
  if (refused) throw refused;
  return fresh;
}
