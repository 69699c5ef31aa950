// Collects what the audit record of one request says, as the pipeline learns it: the operation, the
// caller, the allow-listed parameters, the keys the request resolved, and the outcome.
import type { IncomingHttpHeaders } from 'node:http';
import {
  auditEventId,
  auditEventTime,
  EVENT_VERSION,
  isExactEventTime,
  unauthenticatedIdentity,
  userIdentityOf,
  type AuditEvent,
  type AuditJson,
  type AuditResource,
  type AuditUserIdentity,
} from '../audit/audit-event.js';
import { auditEntryOf, canonicalJson, type AuditEntry } from '../audit/hash-chain.js';
import { operationClass } from '../audit/operation-classes.js';
import type { Caller } from '../authz/principal.js';
import type { KmsError } from '../errors.js';
import type { KmsKey } from '../keys/keyring.js';
import { auditMembers } from './audit-members.js';
import type { Services, WireObject } from './services.js';

const USER_AGENT_MAX = 256;
const UNVALIDATED_STRING_MAX = 512;
const CLAIMED_KEY_ID = /Credential=([A-Z0-9]{16,128})\//;
const OPERATION_NAME = /^[A-Za-z0-9]{1,64}$/;

/** What the record reads of the request. */
export interface AuditedRequest {
  readonly id: string;
  readonly headers: IncomingHttpHeaders;
  readonly ip: string;
}

export class RequestAudit {
  readonly requestId: string;
  eventName = 'UnknownOperation';
  /** Set once the caller is authenticated; until then the record names only the key id it claimed. */
  #identity: AuditUserIdentity | undefined;
  #requestParameters: { [member: string]: AuditJson } | null = null;
  readonly #resources: AuditResource[] = [];
  /** Each of #resources as the canonical text of its record. */
  readonly #resourceTexts: string[] = [];
  readonly #keyIds: string[] = [];
  readonly #request: AuditedRequest;
  readonly #services: Services;

  constructor(request: AuditedRequest, services: Services) {
    this.requestId = request.id;
    this.#request = request;
    this.#services = services;
  }

  /** Who the record names: the caller, or for a request never authenticated the access key it claimed. */
  #userIdentity(): AuditUserIdentity {
    if (this.#identity === undefined) {
      const auth = this.#request.headers.authorization;
      const claimed = typeof auth === 'string' ? CLAIMED_KEY_ID.exec(auth)?.[1] : undefined;
      this.#identity = unauthenticatedIdentity(claimed ?? null);
    }
    return this.#identity;
  }

  /** Names the event after the requested operation (any well-formed name, known or not). */
  nameOperation(name: string | undefined): void {
    if (name !== undefined && OPERATION_NAME.test(name)) this.eventName = name;
  }

  authenticated(caller: Caller): void {
    this.#identity = userIdentityOf(caller);
  }

  /** Keeps the allow-listed members of the validated input (before the operation can zero blobs). */
  validated(input: WireObject): void {
    this.#requestParameters = auditMembers(input);
  }

  /** Keeps the allow-listed members of input that failed validation, long strings cut. */
  unvalidated(json: unknown): void {
    this.#requestParameters = auditMembers(json, UNVALIDATED_STRING_MAX);
  }

  /** The services an operation sees: the same, plus a note of every key it resolves. */
  servicesForOperation(): Services {
    // Object.assign, not `{ ...services, noteResolvedKey }`: on Node 20, V8 builds a spread followed by
    // more members on a slow path every time, which costs more than the rest of this method.
    return Object.assign({}, this.#services, {
      noteResolvedKey: (key: KmsKey) => {
        this.#noteKey(key);
      },
    });
  }

  #noteKey(key: KmsKey): void {
    if (this.#resources.some((r) => r.ARN === key.arn)) return;
    const resource: AuditResource = {
      ARN: key.arn,
      accountId: key.row.accountId,
      type: 'AWS::KMS::Key',
    };
    this.#resources.push(resource);
    this.#resourceTexts.push(resourceTextOf(key, resource));
    this.#keyIds.push(key.row.keyId);
  }

  /** Ids of the keys the request resolved, in order. */
  get keyIds(): readonly string[] {
    return this.#keyIds;
  }

  /** The finished record. `output` for a success, `error` for a failure. */
  finish(eventTimeMs: number, outcome: { output: WireObject } | { error: KmsError }): AuditEvent {
    const readOnly = operationClass(this.eventName).readOnly;
    const output = 'output' in outcome ? outcome.output : undefined;
    if (output) this.#noteCreatedKey(output);
    const error = 'error' in outcome ? outcome.error : undefined;
    const userAgent = this.#request.headers['user-agent'];
    const identity = this.#userIdentity();
    // Members in canonical (sorted) order, so that the hash chain writes the event without a copy.
    return {
      awsRegion: this.#services.region,
      errorCode: error ? error.type : null,
      errorMessage: error ? error.message : null,
      eventCategory: 'Management',
      eventID: auditEventId(this.requestId),
      eventName: this.eventName,
      eventSource: 'kms.amazonaws.com',
      eventTime: auditEventTime(eventTimeMs),
      eventType: 'AwsApiCall',
      eventVersion: EVENT_VERSION,
      managementEvent: true,
      readOnly,
      recipientAccountId: identity.accountId ?? this.#services.config.accountId,
      requestID: this.requestId,
      requestParameters: this.#requestParameters,
      resources: this.#resources,
      // As CloudTrail does, read-only calls record no response elements.
      responseElements: output && !readOnly ? auditMembers(output) : null,
      sourceIPAddress: this.#request.ip,
      userAgent: typeof userAgent === 'string' ? userAgent.slice(0, USER_AGENT_MAX) : null,
      userIdentity: identity,
    };
  }

  /**
   * The finished record as its audit entry: the same as auditEntryOf(finish(…)), with the canonical
   * text written member by member (most members are fixed words or cached) instead of serialising
   * the whole event, which costs several microseconds per request.
   */
  finishEntry(
    eventTimeMs: number,
    outcome: { output: WireObject } | { error: KmsError },
  ): AuditEntry {
    const event = this.finish(eventTimeMs, outcome);
    const region = event.awsRegion;
    const ip = event.sourceIPAddress;
    // The text below writes each member as JSON.stringify would; anything unexpected takes the
    // general path, which is the definition.
    if (typeof region !== 'string' || typeof ip !== 'string') return auditEntryOf(event);
    const error = event.errorCode === null ? 'null' : JSON.stringify(event.errorCode);
    const message = event.errorMessage === null ? 'null' : JSON.stringify(event.errorMessage);
    const text =
      `{"awsRegion":${JSON.stringify(region)},"errorCode":${error},"errorMessage":${message},` +
      `"eventCategory":"Management","eventID":${JSON.stringify(event.eventID)},` +
      `"eventName":${JSON.stringify(event.eventName)},"eventSource":"kms.amazonaws.com",` +
      `"eventTime":${JSON.stringify(event.eventTime)},"eventType":"AwsApiCall",` +
      `"eventVersion":${JSON.stringify(event.eventVersion)},"managementEvent":true,` +
      `"readOnly":${event.readOnly ? 'true' : 'false'},` +
      `"recipientAccountId":${JSON.stringify(event.recipientAccountId)},` +
      `"requestID":${JSON.stringify(event.requestID)},` +
      `"requestParameters":${membersText(event.requestParameters)},` +
      // finish() names this.#resources as the event's resources; their texts are kept beside them.
      `"resources":[${this.#resourceTexts.join(',')}],` +
      `"responseElements":${membersText(event.responseElements)},` +
      `"sourceIPAddress":${JSON.stringify(ip)},` +
      `"userAgent":${event.userAgent === null ? 'null' : JSON.stringify(event.userAgent)},` +
      `"userIdentity":${identityText(event.userIdentity)}}`;
    return auditEntryOf(event, text, isExactEventTime(eventTimeMs) ? eventTimeMs : undefined);
  }

  /** A key the operation created (CreateKey, ReplicateKey) is named by its response. */
  #noteCreatedKey(output: WireObject): void {
    if (this.#resources.length > 0) return;
    const meta = output.KeyMetadata;
    if (typeof meta !== 'object' || meta === null) return;
    const keyId = (meta as WireObject).KeyId;
    if (typeof keyId !== 'string') return;
    const key = this.#services.keyring.get(keyId);
    if (key) this.#noteKey(key);
  }
}

function membersText(members: { readonly [member: string]: AuditJson } | null): string {
  return members === null ? 'null' : canonicalJson(members);
}

function resourceText(r: AuditResource): string {
  return (
    `{"ARN":${JSON.stringify(r.ARN)},` +
    `"accountId":${JSON.stringify(r.accountId)},"type":${JSON.stringify(r.type)}}`
  );
}

/** A key's resource text, written once per cached key (a key's ARN and account never change). */
const resourceTexts = new WeakMap<KmsKey, string>();

function resourceTextOf(key: KmsKey, resource: AuditResource): string {
  let text = resourceTexts.get(key);
  if (text === undefined) {
    text = resourceText(resource);
    resourceTexts.set(key, text);
  }
  return text;
}

/** An identity's text, worked out once: a caller's identity is one object for the credential's life. */
const identityTexts = new WeakMap<AuditUserIdentity, string>();

function identityText(identity: AuditUserIdentity): string {
  let text = identityTexts.get(identity);
  if (text === undefined) {
    text = canonicalJson(identity as unknown as AuditJson);
    identityTexts.set(identity, text);
  }
  return text;
}
