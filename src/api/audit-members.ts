// Which request and response members an audit record keeps: an allow-list by member name. A member not
// listed (a new blob, a secret, a grant token) is left out by default. Names become camelCase, as in
// CloudTrail's requestParameters; map keys (encryption context, tags) are kept as sent.
import type { AuditJson } from '../audit/audit-event.js';
import { shapes } from './model.generated.js';
import type { Shape } from './shape.js';
import { validatedShapeOf } from './validate.js';

/** 'value': kept as is (a scalar, a list of scalars or a string map); 'nested': a structure or list of them. */
type Treatment = 'value' | 'nested';

const value: Treatment = 'value';
const nested: Treatment = 'nested';

// Key policies are kept (CloudTrail records them; who changed a policy is the point of an audit).
// Never listed: Plaintext, CiphertextBlob, Message, Signature, Mac, PublicKey, PrivateKey*, SharedSecret*,
// CiphertextForRecipient, ImportToken, EncryptedKeyMaterial, AttestationDocument, GrantToken(s),
// KeyStorePassword, XksProxyAuthenticationCredential, TrustAnchorCertificate.
const allowed: ReadonlyMap<string, Treatment> = new Map([
  ['AWSAccountId', value],
  ['AliasArn', value],
  ['AliasName', value],
  ['Aliases', nested],
  ['Arn', value],
  ['BypassPolicyLockoutSafetyCheck', value],
  ['CloudHsmClusterId', value],
  ['CloudTrailEventId', value],
  ['ConnectionErrorCode', value],
  ['ConnectionState', value],
  ['Constraints', nested],
  ['CreationDate', value],
  ['CurrentKeyMaterialId', value],
  ['CustomKeyStoreId', value],
  ['CustomKeyStoreName', value],
  ['CustomKeyStoreType', value],
  ['CustomKeyStores', nested],
  ['CustomerMasterKeySpec', value],
  ['DeletionDate', value],
  ['Description', value],
  ['DestinationEncryptionAlgorithm', value],
  ['DestinationEncryptionContext', value],
  ['DestinationKeyId', value],
  ['DestinationKeyMaterialId', value],
  ['DryRun', value],
  ['DryRunModifiers', value],
  ['Enabled', value],
  ['EncapsulationAlgorithm', value],
  ['EncapsulationAlgorithms', value],
  ['EncryptionAlgorithm', value],
  ['EncryptionAlgorithms', value],
  ['EncryptionContext', value],
  ['EncryptionContextEquals', value],
  ['EncryptionContextSubset', value],
  ['ExpirationModel', value],
  ['GrantId', value],
  ['GranteePrincipal', value],
  ['GranteeServicePrincipal', value],
  ['Grants', nested],
  ['Id', value],
  ['ImportState', value],
  ['ImportType', value],
  ['IncludeKeyMaterial', value],
  ['IssuingAccount', value],
  ['KeyAgreementAlgorithm', value],
  ['KeyAgreementAlgorithms', value],
  ['KeyArn', value],
  ['KeyCreationDate', value],
  ['KeyEncryptionAlgorithm', value],
  ['KeyId', value],
  ['KeyLastUsage', nested],
  ['KeyManager', value],
  ['KeyMaterialDescription', value],
  ['KeyMaterialId', value],
  ['KeyMaterialState', value],
  ['KeyMetadata', nested],
  ['KeyPairSpec', value],
  ['KeyRotationEnabled', value],
  ['KeySpec', value],
  ['KeyState', value],
  ['KeyUsage', value],
  ['Keys', nested],
  ['KmsRequestId', value],
  ['LastUpdatedDate', value],
  ['Limit', value],
  ['MacAlgorithm', value],
  ['MacAlgorithms', value],
  ['MacValid', value],
  ['Marker', value],
  ['MessageType', value],
  ['MultiRegion', value],
  ['MultiRegionConfiguration', nested],
  ['MultiRegionKeyType', value],
  ['Name', value],
  ['NewCustomKeyStoreName', value],
  ['NextMarker', value],
  ['NextRotationDate', value],
  ['NumberOfBytes', value],
  ['OnDemandRotationStartDate', value],
  ['Operation', value],
  ['Operations', value],
  ['Origin', value],
  ['ParametersValidTo', value],
  ['PendingDeletionWindowInDays', value],
  ['PendingWindowInDays', value],
  ['Policy', value],
  ['PolicyName', value],
  ['PolicyNames', value],
  ['PrimaryKey', nested],
  ['PrimaryRegion', value],
  ['Recipient', nested],
  ['Region', value],
  ['ReplicaKeyMetadata', nested],
  ['ReplicaKeys', nested],
  ['ReplicaPolicy', value],
  ['ReplicaRegion', value],
  ['ReplicaTags', nested],
  ['RetiringPrincipal', value],
  ['RetiringServicePrincipal', value],
  ['RotationDate', value],
  ['RotationPeriodInDays', value],
  ['RotationType', value],
  ['Rotations', nested],
  ['SignatureValid', value],
  ['SigningAlgorithm', value],
  ['SigningAlgorithms', value],
  ['SourceArn', value],
  ['SourceEncryptionAlgorithm', value],
  ['SourceEncryptionContext', value],
  ['SourceKeyId', value],
  ['SourceKeyMaterialId', value],
  ['TagKey', value],
  ['TagKeys', value],
  ['TagValue', value],
  ['Tags', nested],
  ['TargetKeyId', value],
  ['Timestamp', value],
  ['TrackingStartDate', value],
  ['Truncated', value],
  ['ValidTo', value],
  ['WrappingAlgorithm', value],
  ['WrappingKeySpec', value],
  ['XksKeyConfiguration', nested],
  ['XksKeyId', value],
]);

/** How a kept member is written: its treatment, its camelCase name and that name's place in sorted order. */
interface Keeping {
  readonly treatment: Treatment;
  readonly name: string;
  readonly rank: number;
}

const keeping: ReadonlyMap<string, Keeping> = (() => {
  const names = [...allowed.keys()].map((n) => ({
    from: n,
    name: n.charAt(0).toLowerCase() + n.slice(1),
  }));
  const order = names.map((n) => n.name).sort();
  return new Map(
    names.map(({ from, name }) => [
      from,
      { treatment: allowed.get(from) as Treatment, name, rank: order.indexOf(name) },
    ]),
  );
})();

/** Whether the audit trail keeps a member of this name (exported for the tests that guard the list). */
export function isAuditedMember(name: string): boolean {
  return allowed.has(name);
}

/**
 * The allow-listed members of a request or response structure, or null when none remain. Strings longer
 * than `maxStringLength` are cut (for input that failed validation and so has no length limits yet).
 */
export function auditMembers(
  structure: unknown,
  maxStringLength = Infinity,
): { [member: string]: AuditJson } | null {
  const planned = maxStringLength === Infinity ? keepValidated(structure) : undefined;
  if (planned !== undefined) return planned;
  const out = keepStructure(structure, maxStringLength);
  return out === undefined || Object.keys(out).length === 0 ? null : out;
}

type Members = { [member: string]: AuditJson };

/**
 * An object without a prototype, so that a member named __proto__ stays an ordinary member. Made by
 * removing the prototype of a literal, not by Object.create(null): V8 keeps the former in its fast
 * representation, a little dearer to make but cheaper to serialise for the audit trail than a dictionary.
 */
function members(): Members {
  return Object.setPrototypeOf({}, null) as Members;
}

/**
 * The same members, listed in sorted order: the hash chain writes an event whose objects are already
 * in that order without copying them. Only the order changes, never a name or a value.
 */
function sorted(out: Members): Members {
  const names = Object.keys(out);
  let i = 1;
  while (i < names.length && (names[i - 1] as string) < (names[i] as string)) i++;
  if (i >= names.length) return out;
  const copy = members();
  for (const name of names.sort()) copy[name] = out[name] as AuditJson;
  return copy;
}

function keepStructure(structure: unknown, max: number): Members | undefined {
  const planned = max === Infinity ? keepValidated(structure) : undefined;
  // Nested, a structure with nothing kept is an empty one, as below.
  if (planned !== undefined) return planned ?? members();
  if (!isObject(structure)) return undefined;
  // Kept members are written in sorted order of their camelCase names (see `sorted`).
  const kept: { readonly how: Keeping; readonly value: AuditJson }[] = [];
  let isOrdered = true;
  for (const [name, member] of Object.entries(structure)) {
    const how = keeping.get(name);
    if (how === undefined || member === undefined || member === null) continue;
    const value = how.treatment === 'value' ? keepValue(member, max) : keepNested(member, max);
    if (value === undefined) continue;
    const last = kept[kept.length - 1];
    if (last !== undefined && last.how.rank > how.rank) isOrdered = false;
    kept.push({ how, value });
  }
  if (!isOrdered) kept.sort((a, b) => a.how.rank - b.how.rank);
  const out = members();
  for (const { how, value } of kept) out[how.name] = value;
  return out;
}

// A structure that validateInput returned holds only its shape's members, each of its member's type:
// which of them are kept, in what order and how, is worked out once per shape (a plan) instead of for
// every request. A plan gives exactly what the walk above gives for the same structure (a test holds
// them together); it applies only without clipping, which validated input never needs.

/** How one member of a validated structure is kept: the value, or undefined when it is dropped. */
type Keep = (member: unknown) => AuditJson | undefined;

interface PlannedMember {
  readonly member: string;
  /** Its camelCase name in the record. */
  readonly name: string;
  readonly keep: Keep;
}

const plans = new Map<string, readonly PlannedMember[]>();

function planOf(shapeName: string): readonly PlannedMember[] {
  let plan = plans.get(shapeName);
  if (plan === undefined) {
    const planned: (PlannedMember & { readonly rank: number })[] = [];
    for (const [member, memberShape] of Object.entries(shapes[shapeName]?.members ?? {})) {
      const how = keeping.get(member);
      const keep = how === undefined ? undefined : keeperOf(how.treatment, shapes[memberShape]);
      if (how !== undefined && keep !== undefined)
        planned.push({ member, name: how.name, keep, rank: how.rank });
    }
    plan = planned.sort((a, b) => a.rank - b.rank);
    plans.set(shapeName, plan);
  }
  return plan;
}

/** How a member of this shape is kept once validated; undefined when it never is. */
function keeperOf(treatment: Treatment, shape: Shape | undefined): Keep | undefined {
  if (treatment === 'value') {
    switch (shape?.type) {
      case 'string':
      case 'integer':
      case 'long':
      case 'boolean':
      case 'timestamp':
        // Validated: a string, a boolean or a finite number, kept as is.
        return (member) => member as AuditJson;
      case 'blob':
        // Validated: bytes, which are never kept.
        return undefined;
      case 'map':
        if (shapes[shape.value ?? '']?.type === 'string') return keepStringMap;
        return (member) => keepValue(member, Infinity);
      case 'list':
      case 'structure':
      case undefined:
        return (member) => keepValue(member, Infinity);
    }
  }
  return (member) => keepNested(member, Infinity);
}

/**
 * The kept members of a structure that validateInput returned (null when none are), or undefined when
 * `structure` is not one.
 */
function keepValidated(structure: unknown): Members | null | undefined {
  if (!isObject(structure)) return undefined;
  const shapeName = validatedShapeOf(structure);
  if (shapeName === undefined) return undefined;
  let out: Members | null = null;
  for (const { member, name, keep } of planOf(shapeName)) {
    const value = structure[member];
    if (value === undefined || value === null) continue;
    const kept = keep(value);
    if (kept !== undefined) (out ??= members())[name] = kept;
  }
  return out;
}

/** A validated map of strings: a copy, its keys in sorted order. */
function keepStringMap(map: unknown): AuditJson | undefined {
  if (!isObject(map)) return keepValue(map, Infinity);
  const names = Object.keys(map);
  let i = 1;
  while (i < names.length && (names[i - 1] as string) < (names[i] as string)) i++;
  if (i < names.length) names.sort();
  const out = members();
  for (const name of names) out[name] = map[name] as AuditJson;
  return out;
}

function keepNested(member: unknown, max: number): AuditJson | undefined {
  if (Array.isArray(member)) {
    return member.map((m) => keepStructure(m, max)).filter((x) => x !== undefined);
  }
  return keepStructure(member, max);
}

/** A scalar, a list of scalars, or a map of string to scalar; anything else (bytes, objects) is dropped. */
function keepValue(member: unknown, max: number): AuditJson | undefined {
  if (isScalar(member)) return clip(member, max);
  if (Array.isArray(member)) {
    return member.every(isScalar) ? member.map((m) => clip(m, max)) : undefined;
  }
  if (isObject(member)) {
    const out = members();
    for (const [k, v] of Object.entries(member)) {
      if (!isScalar(v)) return undefined;
      out[clip(k, max)] = clip(v, max);
    }
    return sorted(out);
  }
  return undefined;
}

function clip<T extends string | number | boolean>(v: T, max: number): T {
  return typeof v === 'string' && v.length > max ? (`${v.slice(0, max)}…` as T) : v;
}

function isScalar(v: unknown): v is string | number | boolean {
  return (
    typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean'
  );
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);
}
