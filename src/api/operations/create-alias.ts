// CreateAlias: a new alias/<name> for a customer managed key of the caller's account and region.
import { createAlias as createAliasOnKey } from '../../keys/aliases.js';
import { defineOperation } from '../services.js';

interface CreateAliasInput {
  AliasName: string;
  TargetKeyId: string;
}

export const createAlias = defineOperation<CreateAliasInput>(
  'CreateAlias',
  async (input, { caller, services }) => {
    await createAliasOnKey(services, {
      aliasName: input.AliasName,
      targetKeyId: input.TargetKeyId,
      caller,
    });
    return {};
  },
);
