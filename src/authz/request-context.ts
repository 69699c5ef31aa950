// The condition keys of one authorization request: the operation's own keys plus those the authorizer
// derives (caller, key properties, resource tags and aliases, time, source IP). Built lazily, so a
// policy without conditions costs nothing. Never holds secrets: only identifiers, tags and request values.
import type { AuthorizationRequest } from './authorizer.js';
import type { ConditionContext } from './policy/condition.js';
import type { CallerIdentity } from './policy/principals.js';

type ConditionValue = NonNullable<AuthorizationRequest['conditions']>[string];

/** kms:ResourceAliases stops working for a key with more than 50 aliases (AWS KMS condition keys). */
const MAX_RESOURCE_ALIASES = 50;

export interface ContextSources {
  readonly request: AuthorizationRequest;
  readonly identity: CallerIdentity;
  readonly principalTags: () => Readonly<Record<string, string>>;
  readonly now: () => number;
  readonly isSecureTransport: boolean;
}

function asValues(value: ConditionValue | undefined): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value.length === 0 ? undefined : (value as readonly string[]);
  return [String(value)];
}

function lowerCaseMap(record: Readonly<Record<string, ConditionValue>>): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const [k, v] of Object.entries(record)) {
    const values = asValues(v);
    if (!values) continue;
    const key = k.toLowerCase();
    // Keys that differ only by case become one multi-valued key.
    const existing = map.get(key);
    map.set(key, existing ? [...existing, ...values] : [...values]);
  }
  return map;
}

const lowerCased = new Map<string, string>();
const MAX_LOWER_CASED = 10_000;

/** Lower-cases a request key name, remembering the answer (key names repeat across requests). */
function lower(name: string): string {
  let l = lowerCased.get(name);
  if (l === undefined) {
    if (lowerCased.size >= MAX_LOWER_CASED) lowerCased.clear();
    l = name.toLowerCase();
    lowerCased.set(name, l);
  }
  return l;
}

/** The values of a request key, found without building a lower-cased copy of every key. */
function requestValues(
  conditions: Readonly<Record<string, ConditionValue>>,
  key: string,
): readonly string[] | undefined {
  let found: readonly string[] | undefined;
  for (const name in conditions) {
    if (lower(name) !== key) continue;
    const values = asValues(conditions[name]);
    if (values) found = found ? [...found, ...values] : values;
  }
  return found;
}

function tagMap(tags: readonly { tagKey: string; tagValue: string }[]): Map<string, string[]> {
  return lowerCaseMap(Object.fromEntries(tags.map((t) => [t.tagKey, t.tagValue])));
}

function sourceIp(ip: string | undefined): string | undefined {
  if (ip === undefined) return undefined;
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

export class RequestContext implements ConditionContext {
  readonly #s: ContextSources;
  #principalTags: Map<string, string[]> | undefined;
  #resourceTags: Map<string, string[]> | undefined;

  constructor(sources: ContextSources) {
    this.#s = sources;
  }

  values(key: string): readonly string[] | undefined {
    const conditions = this.#s.request.conditions;
    if (conditions) {
      const given = requestValues(conditions, key);
      if (given) return given;
    }
    return this.#derived(key);
  }

  #derived(key: string): readonly string[] | undefined {
    const { request, identity } = this.#s;
    const resource = request.resource;
    if (key.startsWith('aws:principaltag/')) {
      this.#principalTags ??= lowerCaseMap(this.#s.principalTags());
      return this.#principalTags.get(key.slice('aws:principaltag/'.length));
    }
    if (key.startsWith('aws:resourcetag/')) {
      if (!resource) return undefined;
      this.#resourceTags ??= tagMap(resource.tags);
      return this.#resourceTags.get(key.slice('aws:resourcetag/'.length));
    }
    switch (key) {
      case 'aws:principalarn':
        return [identity.roleArn ?? identity.arn];
      case 'aws:principalaccount':
      case 'kms:calleraccount':
        return [identity.accountId];
      case 'aws:principaltype':
        return [identity.isRoot ? 'Account' : identity.roleArn ? 'AssumedRole' : 'User'];
      case 'aws:userid':
        return asValues(request.caller.userId);
      case 'kms:keyspec':
        return asValues(resource?.keySpec);
      case 'kms:keyusage':
        return asValues(resource?.keyUsage);
      case 'kms:keyorigin':
        return asValues(resource?.origin);
      case 'kms:resourcealiases': {
        const aliases = resource?.aliases ? Array.from(resource.aliases) : [];
        if (aliases.length > MAX_RESOURCE_ALIASES) return undefined;
        return asValues(aliases);
      }
      case 'aws:sourceip':
        return asValues(sourceIp(request.caller.sourceIp));
      case 'aws:currenttime':
        return [new Date(this.#s.now()).toISOString()];
      case 'aws:epochtime':
        return [String(Math.floor(this.#s.now() / 1000))];
      case 'aws:securetransport':
        return [String(this.#s.isSecureTransport)];
      default:
        return undefined;
    }
  }
}
