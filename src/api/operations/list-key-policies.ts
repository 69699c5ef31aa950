// ListKeyPolicies: the key's policy names, which is always just `default`.
import { resolveUsableKey } from '../../keys/resolve.js';
import { defineOperation } from '../services.js';
import { page, pageTail } from './common.js';
import { DEFAULT_POLICY_NAME } from './key-policy-name.js';

interface ListKeyPoliciesInput {
  KeyId: string;
  Limit?: number;
  Marker?: string;
}

export const listKeyPolicies = defineOperation<ListKeyPoliciesInput>(
  'ListKeyPolicies',
  (input, { caller, services }) => {
    resolveUsableKey(services, {
      ref: input.KeyId,
      caller,
      action: 'kms:ListKeyPolicies',
      rule: 'any',
      allowAlias: false,
    });
    const result = page([DEFAULT_POLICY_NAME], (n) => n, input.Limit ?? 100, input.Marker);
    return { PolicyNames: result.items, ...pageTail(result.nextMarker) };
  },
);
