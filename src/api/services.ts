// What operations may use: the keyring, the authorizer, the clock and the frozen config.
import type { Authorizer } from '../authz/authorizer.js';
import type { GrantRegistry } from '../authz/grants/grant-registry.js';
import type { Caller } from '../authz/principal.js';
import type { Config } from '../config/schema.js';
import type { Clock } from '../keys/clock.js';
import type { Keyring } from '../keys/keyring.js';
import type { ResolveDeps } from '../keys/resolve.js';

export interface Services extends ResolveDeps {
  readonly keyring: Keyring;
  readonly authorizer: Authorizer;
  readonly grants: GrantRegistry;
  readonly clock: Clock;
  readonly config: Config;
  readonly region: string;
}

export interface OperationContext {
  readonly caller: Caller;
  readonly requestId: string;
  readonly services: Services;
}

export type WireObject = Record<string, unknown>;

export interface Operation {
  readonly name: string;
  handle(input: WireObject, ctx: OperationContext): Promise<WireObject> | WireObject;
}

/** Declares an operation; `I` is the validated input shape (the generic validator enforced its types). */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- I names the handler's input type
export function defineOperation<I>(
  name: string,
  handle: (input: I, ctx: OperationContext) => Promise<WireObject> | WireObject,
): Operation {
  return { name, handle: handle as Operation['handle'] };
}

export function epochSeconds(ms: number): number {
  return ms / 1000;
}
