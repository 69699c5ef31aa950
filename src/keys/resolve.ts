// The one step every use of a key goes through: find the key from any accepted identifier form, ask the
// authorizer, then check the key's state. Operations never repeat this preamble.
import { InvalidArnException, NotFoundException } from '../errors.js';
import type { Authorizer, AuthorizationRequest } from '../authz/authorizer.js';
import type { Caller } from '../authz/principal.js';
import { aliasArn, keyArn, parseKeyReference } from './arn.js';
import { stateError, type StateRule } from './key-state.js';
import type { Keyring, KmsKey } from './keyring.js';

export interface ResolveDeps {
  readonly keyring: Keyring;
  readonly authorizer: Authorizer;
  readonly region: string;
  /** Told of every key a request resolves, so that its audit record names the key even on failure. */
  readonly noteResolvedKey?: (key: KmsKey) => void;
}

export interface ResolveRequest {
  /** The KeyId member as sent. */
  readonly ref: string;
  readonly caller: Caller;
  /** The kms: action to authorize, e.g. 'kms:Encrypt'. */
  readonly action: string;
  readonly rule: StateRule;
  /** Whether alias names and alias ARNs identify a key for this operation (REFERENCE.md §2.2). */
  readonly allowAlias: boolean;
  readonly conditions?: AuthorizationRequest['conditions'];
  readonly grantTokens?: readonly string[] | undefined;
}

/** Finds a key without authorizing or checking its state. */
export function findKey(
  deps: ResolveDeps,
  ref: string,
  caller: Caller,
  allowAlias: boolean,
): KmsKey {
  const key = lookUpKey(deps, ref, caller, allowAlias);
  deps.noteResolvedKey?.(key);
  return key;
}

function lookUpKey(deps: ResolveDeps, ref: string, caller: Caller, allowAlias: boolean): KmsKey {
  const parsed = parseKeyReference(ref);
  if (!parsed) throw new InvalidArnException(`${ref} is not a valid ARN.`);
  const partition = deps.keyring.partition;
  const own = { partition, region: deps.region, accountId: caller.accountId };
  switch (parsed.kind) {
    case 'keyId': {
      const key = deps.keyring.get(parsed.keyId);
      if (!key || key.row.accountId !== caller.accountId || key.row.region !== deps.region) {
        throw new NotFoundException(`Key '${keyArn(own, parsed.keyId)}' does not exist`);
      }
      return key;
    }
    case 'keyArn': {
      const key = deps.keyring.get(parsed.keyId);
      if (
        !key ||
        key.row.accountId !== parsed.scope.accountId ||
        key.row.region !== parsed.scope.region ||
        parsed.scope.partition !== partition
      ) {
        throw new NotFoundException(`Key '${ref}' does not exist`);
      }
      return key;
    }
    case 'aliasName':
    case 'aliasArn': {
      if (!allowAlias) throw new NotFoundException(`Invalid keyId '${ref}'`);
      const scope = parsed.kind === 'aliasArn' ? parsed.scope : own;
      const alias =
        scope.partition === partition
          ? deps.keyring.alias(scope.accountId, scope.region, parsed.aliasName)
          : undefined;
      const key = alias ? deps.keyring.get(alias.targetKeyId) : undefined;
      if (!key)
        throw new NotFoundException(`Alias ${aliasArn(scope, parsed.aliasName)} is not found.`);
      return key;
    }
  }
}

/** Resolves, authorizes and state-checks the key an operation uses. */
export function resolveUsableKey(deps: ResolveDeps, req: ResolveRequest): KmsKey {
  const key = findKey(deps, req.ref, req.caller, req.allowAlias);
  authorizeOnKey(deps, withRequestAlias(req), key);
  // Precondition: the key's state must allow the operation.
  const refused = stateError(req.rule, key.row.state, key.arn);
  if (refused) throw refused;
  return key;
}

/** kms:RequestAlias: the alias name the request identified the key by, if it used one. */
function withRequestAlias(req: ResolveRequest): ResolveRequest {
  if (!req.ref.startsWith('alias/') && !req.ref.includes(':alias/')) return req;
  const parsed = parseKeyReference(req.ref);
  if (parsed?.kind !== 'aliasName' && parsed?.kind !== 'aliasArn') return req;
  // Object.assign, not spreads followed by members, which Node 20's V8 builds on a slow path.
  const conditions = Object.assign({}, req.conditions, { 'kms:RequestAlias': parsed.aliasName });
  return Object.assign({}, req, { conditions });
}

export function authorizeOnKey(
  deps: Pick<ResolveDeps, 'authorizer' | 'noteResolvedKey'>,
  req: Pick<ResolveRequest, 'caller' | 'action' | 'conditions' | 'grantTokens'> &
    Pick<AuthorizationRequest, 'proposedGrant'>,
  key: KmsKey,
): void {
  deps.noteResolvedKey?.(key);
  // Members added one by one, not spread in: Node 20's V8 builds spreads on a slow path.
  const request: Mutable<AuthorizationRequest> = {
    caller: req.caller,
    action: req.action,
    resource: {
      arn: key.arn,
      accountId: key.row.accountId,
      policy: key.row.policy,
      tags: key.tags,
      keyId: key.row.keyId,
      keySpec: key.row.keySpec,
      keyUsage: key.row.keyUsage,
      origin: key.row.origin,
      aliases: key.aliases,
    },
  };
  if (req.conditions) request.conditions = req.conditions;
  request.grantTokens = req.grantTokens;
  if (req.proposedGrant) request.proposedGrant = req.proposedGrant;
  deps.authorizer.authorize(request);
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Alias operations need kms:<Op> on the alias itself, from identity policies (REFERENCE.md §2.4). */
export function authorizeOnAlias(
  deps: Pick<ResolveDeps, 'authorizer'>,
  req: Pick<ResolveRequest, 'caller' | 'action'>,
  aliasArn: string,
): void {
  deps.authorizer.authorize({ caller: req.caller, action: req.action, resourceArn: aliasArn });
}
