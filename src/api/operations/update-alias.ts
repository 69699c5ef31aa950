// UpdateAlias: points an existing alias at another key of the same type and key usage.
import { updateAlias as updateAliasTarget } from '../../keys/aliases.js';
import { defineOperation } from '../services.js';

interface UpdateAliasInput {
  AliasName: string;
  TargetKeyId: string;
}

export const updateAlias = defineOperation<UpdateAliasInput>(
  'UpdateAlias',
  async (input, { caller, services }) => {
    await updateAliasTarget(services, {
      aliasName: input.AliasName,
      targetKeyId: input.TargetKeyId,
      caller,
    });
    return {};
  },
);
