// The audit record's shape, modelled on a CloudTrail event for AWS KMS. It has no member for plaintext,
// key material or secrets: request and response members reach it only through an allow-list.
import { sha256Hex } from '../crypto/sha256.js';
import type { Caller } from '../authz/principal.js';

export type AuditJson =
  | string
  | number
  | boolean
  | null
  | readonly AuditJson[]
  | { readonly [member: string]: AuditJson };

export interface AuditUserIdentity {
  /** 'Root', 'IAMUser', 'AssumedRole', … or 'Unknown' when the request was not authenticated. */
  readonly type: string;
  readonly principalId: string | null;
  readonly arn: string | null;
  readonly accountId: string | null;
  readonly accessKeyId: string | null;
}

export interface AuditResource {
  readonly ARN: string;
  readonly type: 'AWS::KMS::Key';
  readonly accountId: string;
}

export interface AuditEvent {
  readonly eventVersion: string;
  /** ISO 8601, UTC, millisecond precision. */
  readonly eventTime: string;
  readonly eventSource: 'kms.amazonaws.com';
  readonly eventName: string;
  readonly awsRegion: string;
  readonly sourceIPAddress: string;
  readonly userAgent: string | null;
  /** The request's id; for a service event (no request), a fresh id. */
  readonly requestID: string;
  readonly eventID: string;
  /** 'AwsApiCall' for a request, 'AwsServiceEvent' for what Trent did on its own (scheduled deletion). */
  readonly eventType: 'AwsApiCall' | 'AwsServiceEvent';
  readonly userIdentity: AuditUserIdentity;
  readonly requestParameters: { readonly [member: string]: AuditJson } | null;
  readonly responseElements: { readonly [member: string]: AuditJson } | null;
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  readonly resources: readonly AuditResource[];
  readonly readOnly: boolean;
  readonly managementEvent: true;
  readonly eventCategory: 'Management';
  readonly recipientAccountId: string;
}

export const EVENT_VERSION = '1.11';

/** Latest time that toISOString writes with a four-digit year. */
const LAST_FOUR_DIGIT_YEAR_MS = 253_402_300_799_999;
let cachedSecond = Number.NaN;
let cachedSecondText = '';

/** Whether the text auditEventTime writes of `ms` holds it exactly: Date.parse of the text gives `ms`. */
export function isExactEventTime(ms: number): boolean {
  return Number.isInteger(ms) && ms >= 0 && ms <= LAST_FOUR_DIGIT_YEAR_MS;
}

/**
 * `new Date(ms).toISOString()`, the event's time: the text up to the second is kept from the previous
 * event (events arrive many to a second) and only the milliseconds are written anew.
 */
export function auditEventTime(ms: number): string {
  if (!isExactEventTime(ms)) return new Date(ms).toISOString();
  const millis = ms % 1000;
  const second = ms - millis;
  if (second !== cachedSecond) {
    cachedSecondText = new Date(second).toISOString().slice(0, 19);
    cachedSecond = second;
  }
  return `${cachedSecondText}.${millis < 10 ? '00' : millis < 100 ? '0' : ''}${String(millis)}Z`;
}

/**
 * The audit eventID of a request: derived from its request id, so that anything that knows the request
 * id (GetKeyLastUsage's KmsRequestId) names the same record (its CloudTrailEventId).
 */
export function auditEventId(requestId: string): string {
  // From the hex digest (no Buffer to allocate): the high nibble of byte 6 becomes the version 4,
  // the two high bits of byte 8 the variant 10, as in a version-4 UUID.
  const x = sha256Hex(`trent-audit-event-id:${requestId}`);
  const variant = VARIANT_NIBBLE[x.charCodeAt(16)] ?? '8';
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-4${x.slice(13, 16)}-${variant}${x.slice(17, 20)}-${x.slice(20, 32)}`;
}

/** The variant nibble (binary 10xx) for each hex digit's character code. */
const VARIANT_NIBBLE: Readonly<Record<number, string>> = Object.fromEntries(
  Array.from({ length: 16 }, (_, n) => n.toString(16)).map((digit) => [
    digit.charCodeAt(0),
    ((parseInt(digit, 16) & 0x3) | 0x8).toString(16),
  ]),
);

const identities = new WeakMap<Caller, AuditUserIdentity>();

/**
 * CloudTrail's userIdentity for an authenticated caller. A credential's caller is one object for as
 * long as the credential lives, so its identity is worked out once and shared (frozen) by its events.
 */
export function userIdentityOf(caller: Caller): AuditUserIdentity {
  let identity = identities.get(caller);
  if (identity === undefined) {
    // Members in canonical (sorted) order, as the hash chain writes them.
    identity = Object.freeze({
      accessKeyId: caller.accessKeyId ?? null,
      accountId: caller.accountId,
      arn: caller.arn,
      principalId: caller.userId ?? caller.accountId,
      type: identityType(caller.arn),
    });
    identities.set(caller, identity);
  }
  return identity;
}

/** The identity of a request that was not authenticated: only the access key id it claimed, if any. */
export function unauthenticatedIdentity(claimedAccessKeyId: string | null): AuditUserIdentity {
  return {
    accessKeyId: claimedAccessKeyId,
    accountId: null,
    arn: null,
    principalId: null,
    type: 'Unknown',
  };
}

function identityType(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  if (resource === 'root') return 'Root';
  if (resource.startsWith('user/')) return 'IAMUser';
  if (resource.startsWith('assumed-role/')) return 'AssumedRole';
  if (resource.startsWith('role/')) return 'Role';
  if (arn.includes(':sts:') && resource.startsWith('federated-user/')) return 'FederatedUser';
  return 'Unknown';
}
