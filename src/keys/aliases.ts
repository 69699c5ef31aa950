// Alias changes: create, repoint and delete, with AWS's rules on names, targets, key states and the
// per-key limit (REFERENCE.md §4.2, §10.2, §16.1, §18). Every check-then-write runs under the keyring lock.
// It never lets an alias name a key of another account or region, or point at another alias.
import {
  AlreadyExistsException,
  KMSInvalidStateException,
  LimitExceededException,
  NotFoundException,
  ValidationException,
  type KmsError,
} from '../errors.js';
import type { Caller } from '../authz/principal.js';
import type { AliasRow } from '../store/store.js';
import { checkAliasName, refuseReservedAlias } from './alias-name.js';
import { aliasArn, parseKeyReference, type Scope } from './arn.js';
import type { Clock } from './clock.js';
import type { KmsKey } from './keyring.js';
import { keyFamily } from './key-family.js';
import { authorizeOnAlias, authorizeOnKey, findKey, type ResolveDeps } from './resolve.js';

export const MAX_ALIASES_PER_KEY = 50;

export interface AliasDeps extends ResolveDeps {
  readonly clock: Clock;
}

export interface AliasChange {
  readonly aliasName: string;
  readonly targetKeyId: string;
  readonly caller: Caller;
}

function ownScope(deps: ResolveDeps, caller: Caller): Scope {
  return { partition: deps.keyring.partition, region: deps.region, accountId: caller.accountId };
}

function notFound(deps: ResolveDeps, caller: Caller, aliasName: string): KmsError {
  return new NotFoundException(
    `Alias ${aliasArn(ownScope(deps, caller), aliasName)} is not found.`,
  );
}

/** TargetKeyId takes a key id or key ARN only; the alias stores the bare key id. */
function findTarget(deps: ResolveDeps, ref: string, caller: Caller): KmsKey {
  const parsed = parseKeyReference(ref);
  if (parsed?.kind === 'aliasName' || parsed?.kind === 'aliasArn') {
    throw new ValidationException('Aliases must refer to keys. Not aliases');
  }
  return findKey(deps, ref, caller, false);
}

/** Precondition: an alias may not be pointed at a key that is pending deletion (§10.2 footnote 10). */
function refusePendingDeletion(key: KmsKey): void {
  if (key.row.state === 'PendingDeletion' || key.row.state === 'PendingReplicaDeletion') {
    throw new KMSInvalidStateException(`${key.arn} is pending deletion.`);
  }
}

/** Precondition: a key has at most 50 aliases. */
function refuseTooManyAliases(key: KmsKey): void {
  if (key.aliases.size >= MAX_ALIASES_PER_KEY) {
    throw new LimitExceededException(
      `A KMS key can have at most ${String(MAX_ALIASES_PER_KEY)} aliases; ${key.arn} has reached the limit.`,
    );
  }
}

export function createAlias(deps: AliasDeps, change: AliasChange): Promise<void> {
  const { aliasName, caller } = change;
  checkAliasName(aliasName);
  refuseReservedAlias(aliasName);
  const target = findTarget(deps, change.targetKeyId, caller);
  authorizeOnAlias(
    deps,
    { caller, action: 'kms:CreateAlias' },
    aliasArn(ownScope(deps, caller), aliasName),
  );
  authorizeOnKey(deps, { caller, action: 'kms:CreateAlias' }, target);
  refusePendingDeletion(target);
  return deps.keyring.exclusive(async () => {
    // Checked again under the lock: the key may have changed since.
    if (deps.keyring.alias(caller.accountId, deps.region, aliasName)) {
      throw new AlreadyExistsException(
        `An alias with the name ${aliasArn(ownScope(deps, caller), aliasName)} already exists`,
      );
    }
    const key = deps.keyring.get(target.row.keyId);
    if (!key) throw new NotFoundException(`Key '${target.arn}' does not exist`);
    refusePendingDeletion(key);
    refuseTooManyAliases(key);
    const now = deps.clock.now();
    await deps.keyring.putAlias({
      accountId: caller.accountId,
      region: deps.region,
      aliasName,
      targetKeyId: key.row.keyId,
      createdAt: now,
      updatedAt: now,
    });
  });
}

export function updateAlias(deps: AliasDeps, change: AliasChange): Promise<void> {
  const { aliasName, caller } = change;
  checkAliasName(aliasName);
  refuseReservedAlias(aliasName);
  const existing = deps.keyring.alias(caller.accountId, deps.region, aliasName);
  const current = existing ? deps.keyring.get(existing.targetKeyId) : undefined;
  if (!existing || !current) throw notFound(deps, caller, aliasName);
  const target = findTarget(deps, change.targetKeyId, caller);
  // UpdateAlias needs the permission on the alias and on both the old and the new key.
  authorizeOnAlias(
    deps,
    { caller, action: 'kms:UpdateAlias' },
    aliasArn(ownScope(deps, caller), aliasName),
  );
  authorizeOnKey(deps, { caller, action: 'kms:UpdateAlias' }, current);
  authorizeOnKey(deps, { caller, action: 'kms:UpdateAlias' }, target);
  // Only the new target's pending deletion blocks the change; the old target's does not.
  refusePendingDeletion(target);
  // Precondition: the new key must have the same type and key usage as the current one.
  if (
    keyFamily(current.row.keySpec) !== keyFamily(target.row.keySpec) ||
    current.row.keyUsage !== target.row.keyUsage
  ) {
    throw new ValidationException(
      `${aliasName} points to a ${keyFamily(current.row.keySpec)} ${current.row.keyUsage} key; ` +
        `the new target ${target.arn} is a ${keyFamily(target.row.keySpec)} ${target.row.keyUsage} key. ` +
        'An alias can only be moved to a key of the same type and key usage.',
    );
  }
  return deps.keyring.exclusive(async () => {
    const before = deps.keyring.alias(caller.accountId, deps.region, aliasName);
    if (!before) throw notFound(deps, caller, aliasName);
    if (before.targetKeyId === target.row.keyId) return;
    const key = deps.keyring.get(target.row.keyId);
    if (!key) throw new NotFoundException(`Key '${target.arn}' does not exist`);
    refusePendingDeletion(key);
    refuseTooManyAliases(key);
    const updated: AliasRow = {
      ...before,
      targetKeyId: key.row.keyId,
      updatedAt: deps.clock.now(),
    };
    await deps.keyring.putAlias(updated);
  });
}

export function deleteAlias(
  deps: AliasDeps,
  request: { readonly aliasName: string; readonly caller: Caller },
): Promise<void> {
  const { aliasName, caller } = request;
  checkAliasName(aliasName);
  refuseReservedAlias(aliasName);
  const existing = deps.keyring.alias(caller.accountId, deps.region, aliasName);
  const key = existing ? deps.keyring.get(existing.targetKeyId) : undefined;
  if (!existing || !key) throw notFound(deps, caller, aliasName);
  // DeleteAlias works in every key state.
  authorizeOnAlias(
    deps,
    { caller, action: 'kms:DeleteAlias' },
    aliasArn(ownScope(deps, caller), aliasName),
  );
  authorizeOnKey(deps, { caller, action: 'kms:DeleteAlias' }, key);
  return deps.keyring.exclusive(async () => {
    if (!deps.keyring.alias(caller.accountId, deps.region, aliasName))
      throw notFound(deps, caller, aliasName);
    await deps.keyring.deleteAlias(caller.accountId, deps.region, aliasName);
  });
}
