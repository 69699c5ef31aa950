// The rules an alias name must pass beyond the model pattern (REFERENCE.md §2.1, §8): the alias/ prefix,
// the reserved alias/aws/ namespace and the characters AWS accepts. It never looks at keys.
import {
  InvalidAliasNameException,
  NotAuthorizedException,
  ValidationException,
} from '../errors.js';

export const ALIAS_PREFIX = 'alias/';
export const RESERVED_ALIAS_PREFIX = 'alias/aws/';

/** Precondition: an alias name starts with alias/, has a name after it, and uses only [a-zA-Z0-9/_-]. */
export function checkAliasName(aliasName: string): void {
  if (!aliasName.startsWith(ALIAS_PREFIX)) {
    throw new ValidationException(
      'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html',
    );
  }
  if (aliasName.length === ALIAS_PREFIX.length) {
    throw new InvalidAliasNameException(`Alias name ${aliasName} has no name after the prefix.`);
  }
  // The model pattern admits ':', but AWS refuses it in alias names.
  if (aliasName.includes(':')) {
    throw new ValidationException(`${aliasName} contains invalid characters for an alias`);
  }
}

/** Precondition: customers may not create, repoint or delete aliases in the reserved alias/aws/ namespace. */
export function refuseReservedAlias(aliasName: string): void {
  if (aliasName.startsWith(RESERVED_ALIAS_PREFIX)) {
    throw new NotAuthorizedException(
      `${aliasName}: the alias/aws/ prefix is reserved for AWS managed keys.`,
    );
  }
}
