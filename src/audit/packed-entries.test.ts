import { describe, expect, it } from 'vitest';
import { sampleAuditEvent } from '../../test/fakes/audit-events.js';
import { auditEntryOf, type AuditEntry } from './hash-chain.js';
import { packedEntry, unpackEntries } from './packed-entries.js';

function packed(entries: readonly AuditEntry[]): string {
  return entries.map((e) => packedEntry(e) ?? '').join('');
}

const entries: AuditEntry[] = [1, 2, 3, 4, 5, 6].map((n) => auditEntryOf(sampleAuditEvent(n)));

/** Fields that hold what the packing itself uses: digits, separators, and code units beyond Latin-1. */
const awkward: AuditEntry = {
  eventTime: -86_400_000,
  eventId: '12,34;56',
  eventName: '',
  principalArn: null,
  keyArns: ';;;,,,',
  errorCode: 'Ünïcödé \u{1F511} \uD800 lone surrogate',
  event: '{"requestParameters":{"encryptionContext":{"k":"\\";,7"}}}',
  requestId: '',
};

/** The first entry's header members, its body, and the entry again under another header. */
function headerOfFirst() {
  const text = packedEntry(entries[0]!)!;
  const header = text.slice(0, text.indexOf(';') + 1);
  const body = text.slice(header.length);
  const [time = '', ...lengths] = header.slice(0, -1).split(',');
  const withHeader = (t: string, ls: readonly string[], end = ';') =>
    `${t},${ls.join(',')}${end}${body}`;
  return { time, lengths, body, withHeader };
}

describe('packed audit entries', () => {
  it('unpack to the same entries, in order', () => {
    const batch = [...entries, awkward, { ...entries[0]!, principalArn: null, errorCode: null }];
    const text = packed(batch);
    expect(unpackEntries(text, batch.length)).toEqual(batch);
    expect(unpackEntries(packed(batch.toReversed()), batch.length)).toEqual(batch.toReversed());
  });

  it('survive JSON and the structured clone, as process IPC and a MessagePort carry them', () => {
    const batch = [awkward, ...entries];
    const text = packed(batch);
    expect(unpackEntries(JSON.parse(JSON.stringify(text)) as string, batch.length)).toEqual(batch);
    expect(unpackEntries(structuredClone(text), batch.length)).toEqual(batch);
  });

  it('unpack an empty batch', () => {
    expect(unpackEntries('', 0)).toEqual([]);
  });

  it('have no packed form for an entry of the wrong shape', () => {
    const entry = entries[0]!;
    expect(packedEntry({ ...entry, principalArn: null, errorCode: null })).toBeDefined();
    for (const broken of [
      { ...entry, eventTime: '2026-01-01' },
      { ...entry, eventTime: Number.NaN },
      { ...entry, eventTime: 1.5 },
      { ...entry, eventTime: 2 ** 53 },
      { ...entry, event: undefined },
      { ...entry, keyArns: null },
      { ...entry, eventId: 7 },
      { ...entry, requestId: undefined },
      { ...entry, errorCode: 3 },
    ])
      expect(packedEntry(broken as unknown as AuditEntry)).toBeUndefined();
  });

  it('refuse a batch of another count than the message says', () => {
    const text = packed(entries);
    expect(unpackEntries(text, entries.length - 1)).toBeUndefined();
    expect(unpackEntries(text, entries.length + 1)).toBeUndefined();
    expect(unpackEntries('', 1)).toBeUndefined();
  });

  it('refuse every cut-short batch and one with text left over', () => {
    const text = packed(entries.slice(0, 2));
    for (let end = 0; end < text.length; end++)
      expect(unpackEntries(text.slice(0, end), 2)).toBeUndefined();
    expect(unpackEntries(`${text}x`, 2)).toBeUndefined();
    expect(unpackEntries(`${text}${text.slice(0, 20)}`, 2)).toBeUndefined();
  });

  it('refuse malformed headers', () => {
    const { time, lengths, body, withHeader } = headerOfFirst();
    expect(unpackEntries(withHeader(time, lengths), 1)).toEqual([entries[0]]);
    // Precondition: only principalArn and errorCode may be null (an empty length).
    for (const i of [0, 1, 3, 5, 6]) {
      const ls = [...lengths];
      ls[i] = '';
      expect(unpackEntries(withHeader(time, ls), 1)).toBeUndefined();
    }
    for (const badTime of [
      '',
      '-',
      '+1',
      '1.5',
      '1e3',
      ' 1',
      '9007199254740992',
      '12345678901234567',
    ])
      expect(unpackEntries(withHeader(badTime, lengths), 1)).toBeUndefined();
    expect(unpackEntries(withHeader(time, lengths, ','), 1)).toBeUndefined();
    expect(unpackEntries(withHeader(time, lengths.slice(1)), 1)).toBeUndefined();
    expect(unpackEntries(withHeader(time, [...lengths, '0']), 1)).toBeUndefined();
    const long = [...lengths];
    long[5] = String(body.length + 1);
    expect(unpackEntries(withHeader(time, long), 1)).toBeUndefined();
    long[5] = '99999999999';
    expect(unpackEntries(withHeader(time, long), 1)).toBeUndefined();
    long[5] = '-3';
    expect(unpackEntries(withHeader(time, long), 1)).toBeUndefined();
  });

  it('read at most 16 digits of a time and 10 of a length, whatever their value', () => {
    const { time, lengths, withHeader } = headerOfFirst();
    const timeOf = (t: string) => unpackEntries(withHeader(t, lengths), 1)?.[0]?.eventTime;
    expect(timeOf('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
    expect(timeOf('-9007199254740991')).toBe(Number.MIN_SAFE_INTEGER);
    expect(timeOf('-9007199254740992')).toBeUndefined();
    expect(timeOf(time.padStart(16, '0'))).toBe(entries[0]!.eventTime);
    expect(timeOf(time.padStart(17, '0'))).toBeUndefined();
    // "-0" reads as 0, not -0: the packer writes no other zero.
    expect(Object.is(timeOf('-0'), 0)).toBe(true);
    const padded = [...lengths];
    padded[5] = lengths[5]!.padStart(10, '0');
    expect(unpackEntries(withHeader(time, padded), 1)).toEqual([entries[0]]);
    padded[5] = lengths[5]!.padStart(11, '0');
    expect(unpackEntries(withHeader(time, padded), 1)).toBeUndefined();
  });

  it('never throw, whatever a packed batch is changed to', () => {
    const text = packed(entries.slice(0, 3));
    const replacements = ['', '0', '9', ',', ';', '-', 'x', '\u00e9', '\uD800'];
    for (let at = 0; at < text.length; at += 11) {
      for (const r of replacements) {
        const changed = text.slice(0, at) + r + text.slice(at + 1);
        const result = unpackEntries(changed, 3);
        if (result !== undefined) {
          expect(result).toHaveLength(3);
          for (const e of result) expect(packedEntry(e)).toBeDefined();
        }
      }
    }
  });
});
