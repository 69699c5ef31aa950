// ListAliases: the aliases of the caller's account and region, optionally only one key's, paged by name.
import { aliasArn } from '../../keys/arn.js';
import { findKey } from '../../keys/resolve.js';
import { defineOperation, epochSeconds } from '../services.js';
import { page, pageTail } from './common.js';
import { pageLimit } from './page-limit.js';

interface ListAliasesInput {
  KeyId?: string;
  Limit?: number;
  Marker?: string;
}

export const listAliases = defineOperation<ListAliasesInput>(
  'ListAliases',
  (input, { caller, services }) => {
    // ListAliases is authorized by identity policy alone: its KeyId is only a filter.
    services.authorizer.authorize({ caller, action: 'kms:ListAliases' });
    const limit = pageLimit(input.Limit, 100, 50);
    // The KeyId filter takes a key id or key ARN, never an alias.
    const aliases =
      input.KeyId === undefined
        ? services.keyring.aliasesOf(caller.accountId, services.region)
        : services.keyring.aliasesOfKey(
            caller.accountId,
            services.region,
            findKey(services, input.KeyId, caller, false),
          );
    const result = page(aliases, (a) => a.aliasName, limit, input.Marker);
    const scope = {
      partition: services.keyring.partition,
      region: services.region,
      accountId: caller.accountId,
    };
    return {
      Aliases: result.items.map((a) => ({
        AliasName: a.aliasName,
        AliasArn: aliasArn(scope, a.aliasName),
        TargetKeyId: a.targetKeyId,
        CreationDate: epochSeconds(a.createdAt),
        LastUpdatedDate: epochSeconds(a.updatedAt),
      })),
      ...pageTail(result.nextMarker),
    };
  },
);
