import { describe, expect, it } from 'vitest';
import { sampleAuditEvent } from '../../test/fakes/audit-events.js';
import { asHostMessage, asProxyMessage, isAuditMessage } from './audit-channel.js';
import { auditEntryOf } from './hash-chain.js';
import { packedEntry } from './packed-entries.js';

describe('audit channel messages', () => {
  it('unpacks the entries of a record message, and refuses a malformed one', () => {
    const entries = [1, 2, 3].map((n) => auditEntryOf(sampleAuditEvent(n)));
    const message = {
      type: 'audit.record',
      batch: 4,
      count: 3,
      packed: entries.map((e) => packedEntry(e)).join(''),
      sync: true,
    };
    expect(asProxyMessage(message)).toEqual({
      type: 'audit.record',
      batch: 4,
      entries,
      sync: true,
    });
    for (const broken of [
      { ...message, count: 2 },
      { ...message, count: -1 },
      { ...message, batch: 1.5 },
      { ...message, packed: message.packed.slice(0, -1) },
      { ...message, packed: `x${message.packed}` },
      { ...message, packed: entries },
      { ...message, sync: 'yes' },
      { type: 'audit.record', batch: 4, entries, sync: true },
      { type: 'audit.unreadable' },
    ]) {
      expect(asProxyMessage(broken)).toBeUndefined();
      expect(isAuditMessage(broken)).toBe(true);
    }
    expect(isAuditMessage({ type: 'cluster.ready' })).toBe(false);
    expect(isAuditMessage({ trent: 'write' })).toBe(false);
    expect(isAuditMessage(undefined)).toBe(false);
  });

  it('unpacks a packed text that arrives as its UTF-8 bytes, and refuses bytes cut short', () => {
    const entries = [1, 2].map((n) => auditEntryOf(sampleAuditEvent(n)));
    const awkward = { ...entries[0]!, errorCode: 'Ünïcödé \u{1F511}' };
    const text = [...entries, awkward].map((e) => packedEntry(e)).join('');
    const bytes = Buffer.from(text, 'utf8');
    const message = { type: 'audit.record', batch: 2, count: 3, sync: false };
    const expected = {
      type: 'audit.record',
      batch: 2,
      entries: [...entries, awkward],
      sync: false,
    };
    // As a Buffer, as the plain Uint8Array a structured clone makes of it, and as a view into more.
    const inLarger = Buffer.concat([Buffer.from('xx'), bytes, Buffer.from('yy')]);
    for (const packed of [
      bytes,
      structuredClone(new Uint8Array(bytes)),
      inLarger.subarray(2, 2 + bytes.length),
    ]) {
      expect(asProxyMessage({ ...message, packed })).toEqual(expected);
    }
    // The last character is four bytes: cutting one leaves U+FFFD, and the lengths no longer fit.
    expect(asProxyMessage({ ...message, packed: bytes.subarray(0, -1) })).toBeUndefined();
    expect(asProxyMessage({ ...message, packed: new Uint16Array(4) })).toBeUndefined();
  });

  it('leaves other messages on a shared channel alone', () => {
    expect(asProxyMessage({ type: 'cluster.ready' })).toBeUndefined();
    expect(asHostMessage({ type: 'audit.state', available: 'yes' })).toBeUndefined();
    expect(asProxyMessage({ type: 'audit.flush', flush: 1 })).toEqual({
      type: 'audit.flush',
      flush: 1,
    });
  });
});
