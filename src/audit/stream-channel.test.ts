// The audit channel over a byte stream: frames however the stream cuts them, what a reader refuses, and
// proxies in child processes (running the build output, which `npm test` builds first) writing to one
// host here over a pipe, as the cluster's workers do.
import { spawn, type ChildProcess } from 'node:child_process';
import { Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleAuditEvent, silentAuditLogger } from '../../test/fakes/audit-events.js';
import { controlledAuditStore } from '../../test/fakes/controlled-audit-store.js';
import type { AuditEvent } from './audit-event.js';
import { AuditHost } from './audit-host.js';
import { AuditLog, type AuditDurability } from './audit-log.js';
import { auditEntryOf, chainEntry, GENESIS_HASH } from './hash-chain.js';
import { packedEntry, unpackEntries } from './packed-entries.js';
import { streamChannel } from './stream-channel.js';
import { verifyAuditChain } from './verify-chain.js';

/** The bytes a channel writes for `messages`. */
function framesOf(messages: readonly unknown[]): Buffer {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const channel = streamChannel(stream);
  for (const m of messages) channel.post(m);
  return Buffer.concat(chunks);
}

/** What a channel reading `bytes`, `piece` bytes at a time, delivers. */
function deliveredFrom(bytes: Buffer, piece = bytes.length): unknown[] {
  const stream = new PassThrough();
  const delivered: unknown[] = [];
  streamChannel(stream).onMessage((m) => delivered.push(m));
  for (let at = 0; at < bytes.length; at += piece) stream.write(bytes.subarray(at, at + piece));
  return delivered;
}

/** A frame made by hand: its head's bytes as given, then a tail. */
function frame(head: string, tail = ''): Buffer {
  const json = Buffer.from(head);
  const rest = Buffer.from(tail);
  const out = Buffer.alloc(8 + json.length + rest.length);
  out.writeUInt32LE(4 + json.length + rest.length, 0);
  out.writeUInt32LE(json.length, 4);
  json.copy(out, 8);
  rest.copy(out, 8 + json.length);
  return out;
}

const entries = [1, 2, 3].map((n) => auditEntryOf(sampleAuditEvent(n)));
const awkward = {
  ...entries[0]!,
  errorCode: 'Ünïcödé \u{1F511} "quoted" \\ ;,',
  principalArn: null,
};
const record = {
  type: 'audit.record',
  batch: 7,
  count: 4,
  packed: [...entries, awkward].map((e) => packedEntry(e)).join(''),
  sync: false,
};
const messages = [
  { type: 'audit.hello' },
  record,
  { type: 'audit.flush', flush: 3 },
  { type: 'audit.state', available: true, seq: 12, hash: 'ab'.repeat(32), committed: 7 },
  { type: 'audit.failed', batches: [1, 2] },
];

describe('audit channel over a stream', () => {
  it('delivers every message in order, however the stream cuts the bytes', () => {
    const bytes = framesOf(messages);
    for (const piece of [bytes.length, 1, 3, 7, 64, 1000])
      expect(deliveredFrom(bytes, piece)).toEqual(messages);
  });

  it('carries a record message’s packed text raw, after its other members', () => {
    const bytes = framesOf([record]);
    // The canonical texts are not escaped: their quotes are in the frame as they are.
    expect(bytes.includes(Buffer.from(entries[0]!.event))).toBe(true);
    expect(bytes.includes(Buffer.from(JSON.stringify(entries[0]!.event)))).toBe(false);
    expect(deliveredFrom(bytes)).toEqual([record]);
  });

  it('carries a packed text given as its UTF-8 bytes as it carries the text', () => {
    const asBytes = { ...record, packed: Buffer.from(record.packed, 'utf8') };
    const bytes = framesOf([asBytes]);
    expect(bytes.equals(framesOf([record]))).toBe(true);
    expect(deliveredFrom(bytes, 5)).toEqual([record]);
    // No bytes at all: an empty text, never a Buffer written into the head as JSON.
    expect(deliveredFrom(framesOf([{ ...record, count: 0, packed: Buffer.alloc(0) }]))).toEqual([
      { ...record, count: 0, packed: '' },
    ]);
  });

  it('writes a lone surrogate as U+FFFD, over which the chain hash is the same', () => {
    // No field of a real entry holds one (canonical texts escape them; names and ids are ASCII).
    const lone = {
      ...entries[1]!,
      event: `${entries[1]!.event}\uD800`,
      principalArn: 'arn:\uDC00',
    };
    const [delivered] = deliveredFrom(
      framesOf([{ ...record, count: 1, packed: packedEntry(lone) }]),
    ) as { packed: string }[];
    const [received] = unpackEntries(delivered!.packed, 1)!;
    expect(received).toEqual({
      ...lone,
      event: `${entries[1]!.event}\uFFFD`,
      principalArn: 'arn:\uFFFD',
    });
    expect(chainEntry(received!, 1, GENESIS_HASH).hash).toBe(
      chainEntry(lone, 1, GENESIS_HASH).hash,
    );
  });

  it('delivers a frame it cannot make out as audit.unreadable, and reads on', () => {
    const unreadable = { type: 'audit.unreadable' };
    const hello = frame(JSON.stringify({ type: 'audit.hello' }));
    const bad = [
      frame('{"type":"audit.flush"'),
      frame(JSON.stringify({ type: 'audit.flush', flush: 1 }), 'tail without a packed member'),
      frame(JSON.stringify([1, 2]), 'tail'),
    ];
    const headTooLong = frame(JSON.stringify({ type: 'audit.hello' }));
    headTooLong.writeUInt32LE(1000, 4);
    const tooShort = Buffer.from([2, 0, 0, 0, 1, 2]);
    for (const b of [...bad, headTooLong, tooShort])
      expect(deliveredFrom(Buffer.concat([b, hello]))).toEqual([
        unreadable,
        { type: 'audit.hello' },
      ]);
  });

  it('closes when a frame claims more than any message holds, and refuses to post after', async () => {
    const stream = new PassThrough();
    const channel = streamChannel(stream);
    const closed = new Promise<void>((resolve) => channel.onClose?.(resolve));
    const huge = Buffer.alloc(8);
    huge.writeUInt32LE(0xffffffff, 0);
    stream.write(huge);
    await closed;
    expect(() => {
      channel.post({ type: 'audit.hello' });
    }).toThrow(/closed/);
    // A listener that comes after the close hears of it too.
    await new Promise<void>((resolve) => channel.onClose?.(resolve));
  });
});

const built = (file: string) => new URL(`../../dist/src/audit/${file}`, import.meta.url).href;

/** The child: records the events it is given through a proxy over its pipe (fd 4), then closes. */
const CHILD = `
const { Socket } = await import('node:net');
const { RemoteAuditRecorder } = await import(${JSON.stringify(built('remote-audit-recorder.js'))});
const { streamChannel } = await import(${JSON.stringify(built('stream-channel.js'))});
const quiet = { error() {}, warn() {}, info() {} };
const pipe = new Socket({ fd: 4, readable: true, writable: true });
const proxy = new RemoteAuditRecorder(streamChannel(pipe), {
  durability: process.env.DURABILITY, queueLimit: 100, logger: quiet,
});
await proxy.ready();
for (const event of JSON.parse(process.env.EVENTS)) await proxy.record(event);
await proxy.close();
process.send({ type: 'test.done', head: proxy.head, available: proxy.isAvailable });
pipe.end();
process.disconnect();
`;

const children: ChildProcess[] = [];
const hosts: AuditHost[] = [];

afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const h of hosts.splice(0)) await h.close();
});

function eventsOf(name: string, count: number): AuditEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    ...sampleAuditEvent(i + 1),
    requestID: `${name}-${String(i + 1)}`,
    eventID: `${name}-${String(i + 1)}`,
  }));
}

/** Starts a child proxy whose pipe the host serves; resolves with what it reports when done. */
function runChild(host: AuditHost, events: AuditEvent[], durability: AuditDurability) {
  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc', 'pipe'],
    env: { ...process.env, EVENTS: JSON.stringify(events), DURABILITY: durability },
  });
  children.push(child);
  host.attach(streamChannel(child.stdio[4] as Socket));
  return new Promise<{ head: { seq: number } }>((resolve, reject) => {
    child.on('message', (m: { type?: string; head: { seq: number } }) => {
      if (m.type === 'test.done') resolve(m);
    });
    child.once('exit', (code) => {
      reject(new Error(`child exited with ${String(code)} before it was done`));
    });
  });
}

describe('audit proxies in other processes', () => {
  it('carry their records over pipes into one chain, in sync and async mode', async () => {
    const store = controlledAuditStore();
    const log = await AuditLog.open({
      store,
      durability: 'async',
      flushIntervalMs: 60_000,
      queueLimit: 100,
      logger: silentAuditLogger,
    });
    const host = new AuditHost(log, silentAuditLogger);
    hosts.push(host);
    const done = await Promise.all([
      runChild(host, eventsOf('sync', 5), 'sync'),
      runChild(host, eventsOf('async', 5), 'async'),
    ]);
    const ids = (await store.query({})).map((r) => r.eventId);
    expect(ids.filter((id) => id.startsWith('sync-'))).toEqual(
      eventsOf('sync', 5).map((e) => e.eventID),
    );
    expect(ids.filter((id) => id.startsWith('async-'))).toEqual(
      eventsOf('async', 5).map((e) => e.eventID),
    );
    expect((await verifyAuditChain(store)).broken).toBeUndefined();
    // Each child saw the head after its own records were committed.
    for (const d of done) expect(d.head.seq).toBeGreaterThanOrEqual(5);
    // A child's pipe closing detaches it.
    await expect.poll(() => host.channels).toBe(0);
  });
});
