// The hash chain: the canonical text of an event and the SHA-256 that links each record to the one
// before it. Any edit, deletion, insertion or reordering of records changes a hash the next one holds.
import { sha256Hex } from '../crypto/sha256.js';
import type { AuditRow } from '../store/audit-store.js';
import type { AuditEvent, AuditJson } from './audit-event.js';

/** The previous hash of the very first record. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * JSON with object members sorted by name and no whitespace: one text per event. The text is, byte for
 * byte, `JSON.stringify` of a copy of the value whose members were inserted in sorted order; since
 * JavaScript lists array-index names ('0', '7', '42') before all others and in numeric order, such
 * names come first, ascending, and the rest follow in UTF-16 code unit order. Existing chains were
 * hashed over that text, so this must never change.
 */
export function canonicalJson(value: AuditJson | AuditEvent): string {
  const ordered = inCanonicalOrder(value as AuditJson);
  return ordered === UNUSUAL
    ? JSON.stringify(sortDeep(value as AuditJson))
    : JSON.stringify(ordered);
}

const UNUSUAL = Symbol('not plain JSON data');

/**
 * The value itself when every object in it already lists its members in canonical order (events are
 * built that way), else a copy of just the parts that needed reordering; UNUSUAL when it holds
 * anything beyond plain JSON data (a function, a class instance, a toJSON method), for which the
 * general path decides. JSON.stringify of the result is the canonical text.
 */
function inCanonicalOrder(value: AuditJson): AuditJson | typeof UNUSUAL {
  if (typeof value !== 'object' || value === null) {
    const kind = typeof value;
    return kind === 'function' || kind === 'symbol' || kind === 'bigint' ? UNUSUAL : value;
  }
  if ('toJSON' in value) return UNUSUAL;
  if (Array.isArray(value)) {
    const items = value as readonly AuditJson[];
    let copy: AuditJson[] | undefined;
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as AuditJson;
      const ordered = inCanonicalOrder(item);
      if (ordered === UNUSUAL) return UNUSUAL;
      if (ordered !== item && copy === undefined) copy = items.slice(0, i);
      if (copy !== undefined) copy[i] = ordered;
    }
    return copy ?? items;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return UNUSUAL;
  const obj = value as { readonly [member: string]: AuditJson };
  const names = Object.keys(obj);
  let isOrdered = true;
  let reordered: Map<string, AuditJson> | undefined;
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    if (isOrdered && i > 0 && compareNames(names[i - 1] as string, name) > 0) isOrdered = false;
    const member = obj[name];
    // JSON.stringify leaves out an undefined member, as the general path does.
    if (member === undefined) continue;
    const ordered = inCanonicalOrder(member);
    if (ordered === UNUSUAL) return UNUSUAL;
    if (ordered !== member) (reordered ??= new Map()).set(name, ordered);
  }
  if (isOrdered && reordered === undefined) return obj;
  const out = Object.create(null) as Record<string, AuditJson>;
  for (const name of isOrdered ? names : names.sort(compareNames)) {
    const member = obj[name];
    if (member !== undefined) out[name] = reordered?.get(name) ?? member;
  }
  return out;
}

const LARGEST_INDEX = 4294967294;

/** Whether JavaScript treats a member name as an array index (listed first, in numeric order). */
function isArrayIndex(name: string): boolean {
  const length = name.length;
  if (length === 0 || length > 10) return false;
  const first = name.charCodeAt(0);
  if (first === 0x30) return length === 1;
  if (first < 0x31 || first > 0x39) return false;
  for (let i = 1; i < length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return length < 10 || Number(name) <= LARGEST_INDEX;
}

function compareNames(a: string, b: string): number {
  const aIndex = isArrayIndex(a);
  if (aIndex !== isArrayIndex(b)) return aIndex ? -1 : 1;
  // Array indices have no leading zeros, so the shorter is the smaller.
  if (aIndex && a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The general path (the definition of the canonical text): a sorted copy, then JSON.stringify. */
function sortDeep(value: AuditJson): AuditJson {
  if (Array.isArray(value)) return (value as readonly AuditJson[]).map(sortDeep);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, AuditJson> = Object.create(null) as Record<string, AuditJson>;
    const obj = value as { readonly [member: string]: AuditJson };
    for (const k of Object.keys(obj).sort()) {
      const v = obj[k];
      if (v !== undefined) out[k] = sortDeep(v);
    }
    return out;
  }
  return value;
}

/** SHA-256 over the record's position, the previous hash and the canonical event text. */
export function chainHash(seq: number, prevHash: string, eventText: string): string {
  // One-shot over the joined text: the same bytes as two updates, without a Hash object per record.
  return sha256Hex(`trent-audit-v1\n${String(seq)}\n${prevHash}\n${eventText}`);
}

/** The columns a record is indexed by, all derived from the event so that verification can recheck them. */
export function indexColumnsOf(event: AuditEvent): IndexColumns {
  return columnsAt(event, Date.parse(event.eventTime));
}

type IndexColumns = Pick<
  AuditRow,
  'eventTime' | 'eventId' | 'eventName' | 'principalArn' | 'keyArns' | 'errorCode'
>;

/** The index columns, with `eventTime` already read from the event's text (Date.parse of it). */
function columnsAt(event: AuditEvent, eventTime: number): IndexColumns {
  return {
    eventTime,
    eventId: event.eventID,
    eventName: event.eventName,
    principalArn: event.userIdentity.arn,
    keyArns: keyArnsOf(event.resources),
    errorCode: event.errorCode,
  };
}

function keyArnsOf(resources: AuditEvent['resources']): string {
  if (resources.length === 0) return '';
  if (resources.length === 1) return resources[0]?.ARN ?? '';
  return resources.map((r) => r.ARN).join(' ');
}

/**
 * An event ready for the chain: its canonical text (`event`) and index columns, everything of its row
 * but the position and the hashes. Made where the event is made, it travels to the audit writer as a
 * few strings instead of a tree of objects, and the writer only numbers and hashes it. `requestId` is
 * not stored: log lines about the record name it (the text holds it too).
 */
export type AuditEntry = Omit<AuditRow, 'seq' | 'prevHash' | 'hash'> & {
  readonly requestId: string;
};

/**
 * The entry of an event; `text` is its canonical text when the caller has written it already, and
 * `eventTimeMs` the time its eventTime was written from, when that text holds it to the millisecond
 * (`auditEventTime` of an integer time): then it is Date.parse of the text, which need not be read.
 */
export function auditEntryOf(
  event: AuditEvent,
  text: string = canonicalJson(event),
  eventTimeMs?: number,
): AuditEntry {
  const columns = eventTimeMs === undefined ? indexColumnsOf(event) : columnsAt(event, eventTimeMs);
  return Object.assign(columns, { event: text, requestId: event.requestID });
}

/** The stored row of an entry at position `seq` after a record whose hash is `prevHash`. */
export function chainEntry(entry: AuditEntry, seq: number, prevHash: string): AuditRow {
  return {
    seq,
    eventTime: entry.eventTime,
    eventId: entry.eventId,
    eventName: entry.eventName,
    principalArn: entry.principalArn,
    keyArns: entry.keyArns,
    errorCode: entry.errorCode,
    event: entry.event,
    prevHash,
    hash: chainHash(seq, prevHash, entry.event),
  };
}

/** The stored row of `event` at position `seq` after a record whose hash is `prevHash`. */
export function chainRow(event: AuditEvent, seq: number, prevHash: string): AuditRow {
  return chainEntry(auditEntryOf(event), seq, prevHash);
}
