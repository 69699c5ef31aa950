// Request condition keys derived from the encryption context (kms:EncryptionContext:<k>, kms:EncryptionContextKeys).
import type { AuthorizationRequest } from '../../authz/authorizer.js';

type Conditions = NonNullable<AuthorizationRequest['conditions']>;

export function contextConditions(
  context: Readonly<Record<string, string>> | undefined,
  extra: Conditions = {},
): Conditions {
  const out: Record<string, Conditions[string]> = { ...extra };
  if (context) {
    const keys = Object.keys(context);
    for (const k of keys) out[`kms:EncryptionContext:${k}`] = context[k] ?? '';
    out['kms:EncryptionContextKeys'] = keys;
  }
  return out;
}
