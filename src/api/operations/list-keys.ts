// ListKeys: key ids and ARNs of the caller's account and region, paged.
import { defineOperation } from '../services.js';
import { page, pageTail } from './common.js';

interface ListKeysInput {
  Limit?: number;
  Marker?: string;
}

export const listKeys = defineOperation<ListKeysInput>(
  'ListKeys',
  (input, { caller, services }) => {
    services.authorizer.authorize({ caller, action: 'kms:ListKeys' });
    const keys = services.keyring.keysOf(caller.accountId, services.region);
    const result = page(keys, (k) => k.row.keyId, input.Limit ?? 100, input.Marker);
    return {
      Keys: result.items.map((k) => ({ KeyId: k.row.keyId, KeyArn: k.arn })),
      ...pageTail(result.nextMarker),
    };
  },
);
