// Request condition keys built from request members: the encryption context (kms:EncryptionContext:<k>,
// kms:EncryptionContextKeys) and request tags (aws:RequestTag/<k>, aws:TagKeys).
import type { AuthorizationRequest } from '../../authz/authorizer.js';

type Conditions = NonNullable<AuthorizationRequest['conditions']>;

// Copies start with Object.assign rather than a spread: on Node 20, V8 gives an object made by
// `{ ...extra }` no fast way to add members, so every member added afterwards costs a slow path.

const contextKeyNames = new Map<string, string>();
const MAX_CONTEXT_KEY_NAMES = 10_000;
/** Longer keys are not remembered, so the map stays small however large the contexts sent. */
const MAX_REMEMBERED_KEY_LENGTH = 128;

/** kms:EncryptionContext:<k>, remembered: context keys repeat across requests, and a name built once
 *  is a property key V8 has already seen. Bounded in entries and in their size; cleared when full. */
function contextKeyName(k: string): string {
  let name = contextKeyNames.get(k);
  if (name === undefined) {
    name = `kms:EncryptionContext:${k}`;
    if (k.length > MAX_REMEMBERED_KEY_LENGTH) return name;
    if (contextKeyNames.size >= MAX_CONTEXT_KEY_NAMES) contextKeyNames.clear();
    contextKeyNames.set(k, name);
  }
  return name;
}

export function contextConditions(
  context: Readonly<Record<string, string>> | undefined,
  extra: Conditions = {},
): Conditions {
  const out: Record<string, Conditions[string]> = Object.assign({}, extra);
  if (context) {
    const keys = Object.keys(context);
    for (const k of keys) out[contextKeyName(k)] = context[k] ?? '';
    out['kms:EncryptionContextKeys'] = keys;
  }
  return out;
}

/** aws:RequestTag/<k> and aws:TagKeys for requests that set tags (CreateKey, TagResource). */
export function tagConditions(
  tags: readonly { TagKey: string; TagValue: string }[] | undefined,
  extra: Conditions = {},
): Conditions {
  const out: Record<string, Conditions[string]> = Object.assign({}, extra);
  if (tags && tags.length > 0) {
    for (const t of tags) out[`aws:RequestTag/${t.TagKey}`] = t.TagValue;
    out['aws:TagKeys'] = tags.map((t) => t.TagKey);
  }
  return out;
}
