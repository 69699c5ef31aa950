// Request condition keys built from request members: the encryption context (kms:EncryptionContext:<k>,
// kms:EncryptionContextKeys) and request tags (aws:RequestTag/<k>, aws:TagKeys).
import type { AuthorizationRequest } from '../../authz/authorizer.js';

type Conditions = NonNullable<AuthorizationRequest['conditions']>;

// Copies start with Object.assign rather than a spread: on Node 20, V8 gives an object made by
// `{ ...extra }` no fast way to add members, so every member added afterwards costs a slow path.

export function contextConditions(
  context: Readonly<Record<string, string>> | undefined,
  extra: Conditions = {},
): Conditions {
  const out: Record<string, Conditions[string]> = Object.assign({}, extra);
  if (context) {
    const keys = Object.keys(context);
    for (const k of keys) out[`kms:EncryptionContext:${k}`] = context[k] ?? '';
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
