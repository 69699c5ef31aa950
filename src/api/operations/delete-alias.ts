// DeleteAlias: removes an alias; the key it named is untouched.
import { deleteAlias as deleteAliasByName } from '../../keys/aliases.js';
import { defineOperation } from '../services.js';

interface DeleteAliasInput {
  AliasName: string;
}

export const deleteAlias = defineOperation<DeleteAliasInput>(
  'DeleteAlias',
  async (input, { caller, services }) => {
    await deleteAliasByName(services, { aliasName: input.AliasName, caller });
    return {};
  },
);
