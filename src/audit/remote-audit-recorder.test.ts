import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleAuditEvent, silentAuditLogger } from '../../test/fakes/audit-events.js';
import { fakeChannelPair } from '../../test/fakes/audit-channel.js';
import {
  controlledAuditStore,
  type ControlledAuditStore,
} from '../../test/fakes/controlled-audit-store.js';
import { AuditHost } from './audit-host.js';
import { AuditLog, AuditUnavailableError, type AuditDurability } from './audit-log.js';
import { auditEntryOf } from './hash-chain.js';
import { RemoteAuditRecorder } from './remote-audit-recorder.js';
import { verifyAuditChain } from './verify-chain.js';

const hosts: AuditHost[] = [];
let store: ControlledAuditStore;

beforeEach(() => {
  store = controlledAuditStore();
  silentAuditLogger.lines.length = 0;
});

afterEach(async () => {
  store.failing = false;
  store.release();
  for (const host of hosts.splice(0)) await host.close();
});

async function hostFor(durability: AuditDurability): Promise<{ log: AuditLog; host: AuditHost }> {
  const log = await AuditLog.open({
    store,
    durability,
    flushIntervalMs: 60_000,
    queueLimit: 100,
    logger: silentAuditLogger,
  });
  const host = new AuditHost(log, silentAuditLogger);
  hosts.push(host);
  return { log, host };
}

async function connected(durability: AuditDurability, queueLimit = 100) {
  const { log, host } = await hostFor(durability);
  const pair = fakeChannelPair();
  host.attach(pair.hostEnd);
  const proxy = new RemoteAuditRecorder(pair.proxyEnd, {
    durability,
    queueLimit,
    logger: silentAuditLogger,
  });
  await proxy.ready();
  return { log, host, pair, proxy };
}

function recordMessages(posted: unknown[]): { count: number }[] {
  return posted.filter((m) => (m as { type: string }).type === 'audit.record') as {
    count: number;
  }[];
}

describe('remote audit recorder', () => {
  it('in async mode resolves record() at once and sends the records of one turn in one message', async () => {
    const { proxy, pair, log } = await connected('async');
    await Promise.all([1, 2, 3, 4, 5].map((n) => proxy.record(sampleAuditEvent(n))));
    expect(await store.query({})).toHaveLength(0);
    await proxy.flush();
    expect(recordMessages(pair.proxyEnd.posted).map((m) => m.count)).toEqual([5]);
    expect(store.batches).toEqual([5]);
    expect((await store.query({})).map((r) => r.eventId)).toEqual(
      [1, 2, 3, 4, 5].map((n) => `event-${String(n)}`),
    );
    expect(proxy.pending).toBe(0);
    expect(proxy.head).toEqual(log.head);
    expect((await verifyAuditChain(store)).broken).toBeUndefined();
  });

  it('sends a turn of records that outgrows its first buffer whole, whatever characters they hold', async () => {
    const { proxy, pair } = await connected('async', 500);
    const count = 300;
    // About 1.5 KB each in UTF-8, several times the first buffer, with characters of 2, 3 and 4 bytes.
    const events = Array.from({ length: count }, (_, i) => ({
      ...sampleAuditEvent(i + 1),
      userAgent: `agent ü € \u{1F511} ${'x'.repeat(1400)} ${String(i)}`,
    }));
    await Promise.all(events.map((e) => proxy.record(e)));
    await proxy.flush();
    expect(recordMessages(pair.proxyEnd.posted).map((m) => m.count)).toEqual([count]);
    const stored = await store.query({});
    expect(stored.map((r) => r.event)).toEqual(events.map((e) => auditEntryOf(e).event));
    expect((await verifyAuditChain(store)).broken).toBeUndefined();
  });

  it('with a batch window sends the records of several turns in one message', async () => {
    const { host } = await hostFor('async');
    const pair = fakeChannelPair();
    host.attach(pair.hostEnd);
    const proxy = new RemoteAuditRecorder(pair.proxyEnd, {
      durability: 'async',
      queueLimit: 100,
      logger: silentAuditLogger,
      batchWindowMs: 50,
    });
    await proxy.ready();
    for (let n = 1; n <= 3; n++) {
      await proxy.record(sampleAuditEvent(n));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await expect.poll(() => recordMessages(pair.proxyEnd.posted).length).toBe(1);
    expect(recordMessages(pair.proxyEnd.posted)[0]!.count).toBe(3);
    // flush() does not wait for the window.
    await proxy.record(sampleAuditEvent(4));
    await proxy.flush();
    expect(await store.query({})).toHaveLength(4);
  });

  it('in sync mode resolves a record only once the host has committed it', async () => {
    const { proxy } = await connected('sync');
    const appending = store.hold();
    let resolved = false;
    const recorded = proxy.record(sampleAuditEvent(1)).then(() => {
      resolved = true;
    });
    await appending;
    expect(resolved).toBe(false);
    expect(await store.query({})).toHaveLength(0);
    store.release();
    await recorded;
    expect(await store.query({})).toHaveLength(1);
    expect(proxy.head.seq).toBe(1);
  });

  it('in sync mode rejects a record whose commit fails and commits it once the store recovers', async () => {
    const { proxy } = await connected('sync');
    store.failing = true;
    await expect(proxy.record(sampleAuditEvent(1))).rejects.toBeInstanceOf(AuditUnavailableError);
    await proxy.flush();
    expect(proxy.isAvailable).toBe(false);
    store.failing = false;
    await proxy.flush();
    expect(proxy.isAvailable).toBe(true);
    expect(proxy.pending).toBe(0);
    expect(await store.query({})).toHaveLength(1);
  });

  it('refuses records once its uncommitted records reach the queue limit', async () => {
    const { proxy } = await connected('async', 3);
    store.failing = true;
    for (let n = 1; n <= 3; n++) await proxy.record(sampleAuditEvent(n));
    expect(proxy.isAvailable).toBe(false);
    await expect(proxy.record(sampleAuditEvent(4))).rejects.toBeInstanceOf(AuditUnavailableError);
    expect(silentAuditLogger.lines.some((l) => l.includes('queue full'))).toBe(true);
    store.failing = false;
    await proxy.flush();
    expect(proxy.isAvailable).toBe(true);
    expect((await store.query({})).map((r) => r.eventId)).toEqual([
      'event-1',
      'event-2',
      'event-3',
    ]);
  });

  it('refuses an entry the host could not read, not losing the records sent with it', async () => {
    const { proxy } = await connected('sync');
    const entry = auditEntryOf(sampleAuditEvent(2));
    const outcomes = await Promise.allSettled([
      proxy.record(sampleAuditEvent(1)),
      proxy.recordEntry({ ...entry, eventTime: Number.NaN }),
      proxy.recordEntry(entry),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(AuditUnavailableError);
    expect(silentAuditLogger.lines.some((l) => l.includes('malformed record dropped'))).toBe(true);
    expect((await store.query({})).map((r) => r.eventId)).toEqual(['event-1', 'event-2']);
    expect(proxy.pending).toBe(0);
    expect(proxy.isAvailable).toBe(true);
  });

  it('counts a record as uncommitted until the host commits it, even once the host has it', async () => {
    const { proxy, log } = await connected('async', 2);
    await proxy.record(sampleAuditEvent(1));
    await proxy.record(sampleAuditEvent(2));
    await expect.poll(() => log.pending).toBe(2);
    expect(proxy.isAvailable).toBe(false);
    await log.flush();
    await expect.poll(() => proxy.isAvailable).toBe(true);
    expect(proxy.pending).toBe(0);
  });

  it('on close commits everything recorded and refuses later records', async () => {
    const { proxy } = await connected('async');
    for (let n = 1; n <= 3; n++) await proxy.record(sampleAuditEvent(n));
    await proxy.close();
    expect(await store.query({})).toHaveLength(3);
    expect(proxy.isAvailable).toBe(false);
    await expect(proxy.record(sampleAuditEvent(4))).rejects.toBeInstanceOf(AuditUnavailableError);
  });

  it('fails closed for good when the channel is lost', async () => {
    const { proxy, pair } = await connected('sync');
    const appending = store.hold();
    const recorded = proxy.record(sampleAuditEvent(1));
    await appending;
    pair.close();
    await expect(recorded).rejects.toBeInstanceOf(AuditUnavailableError);
    expect(proxy.isAvailable).toBe(false);
    await expect(proxy.record(sampleAuditEvent(2))).rejects.toBeInstanceOf(AuditUnavailableError);
    await proxy.flush();
    expect(silentAuditLogger.lines.some((l) => l.includes('audit trail unavailable'))).toBe(true);
  });

  it('is unavailable until the host has reported its state, whichever end starts first', async () => {
    const { host } = await hostFor('async');
    const early = fakeChannelPair();
    const waiting = new RemoteAuditRecorder(early.proxyEnd, {
      durability: 'async',
      queueLimit: 10,
      logger: silentAuditLogger,
    });
    expect(waiting.isAvailable).toBe(false);
    // The proxy's hello found no host; the host's first state message reaches it on attach.
    await new Promise((resolve) => setImmediate(resolve));
    host.attach(early.hostEnd);
    await waiting.ready();
    expect(waiting.isAvailable).toBe(true);

    const late = fakeChannelPair();
    host.attach(late.hostEnd);
    await new Promise((resolve) => setImmediate(resolve));
    // The host's state message found no proxy; the proxy's hello asks for it again.
    const joining = new RemoteAuditRecorder(late.proxyEnd, {
      durability: 'async',
      queueLimit: 10,
      logger: silentAuditLogger,
    });
    await joining.ready();
    expect(joining.isAvailable).toBe(true);
  });
});
