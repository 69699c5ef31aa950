// The hash chain: the canonical text of an event and the SHA-256 that links each record to the one
// before it. Any edit, deletion, insertion or reordering of records changes a hash the next one holds.
import { createHash } from 'node:crypto';
import type { AuditRow } from '../store/audit-store.js';
import type { AuditEvent, AuditJson } from './audit-event.js';

/** The previous hash of the very first record. */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object members sorted by name and no whitespace: one text per event. */
export function canonicalJson(value: AuditJson | AuditEvent): string {
  return JSON.stringify(sortDeep(value as AuditJson));
}

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
  return createHash('sha256')
    .update(`trent-audit-v1\n${String(seq)}\n${prevHash}\n`)
    .update(eventText)
    .digest('hex');
}

/** The columns a record is indexed by, all derived from the event so that verification can recheck them. */
export function indexColumnsOf(
  event: AuditEvent,
): Pick<
  AuditRow,
  'eventTime' | 'eventId' | 'eventName' | 'principalArn' | 'keyArns' | 'errorCode'
> {
  return {
    eventTime: Date.parse(event.eventTime),
    eventId: event.eventID,
    eventName: event.eventName,
    principalArn: event.userIdentity.arn,
    keyArns: event.resources.map((r) => r.ARN).join(' '),
    errorCode: event.errorCode,
  };
}

/** The stored row of `event` at position `seq` after a record whose hash is `prevHash`. */
export function chainRow(event: AuditEvent, seq: number, prevHash: string): AuditRow {
  const text = canonicalJson(event);
  return {
    seq,
    ...indexColumnsOf(event),
    event: text,
    prevHash,
    hash: chainHash(seq, prevHash, text),
  };
}
