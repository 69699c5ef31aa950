import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleAuditEvent, silentAuditLogger } from '../../test/fakes/audit-events.js';
import { fakeChannelPair, type FakeChannelPair } from '../../test/fakes/audit-channel.js';
import {
  controlledAuditStore,
  type ControlledAuditStore,
} from '../../test/fakes/controlled-audit-store.js';
import type { AuditEvent } from './audit-event.js';
import { AuditHost } from './audit-host.js';
import { AuditLog, type AuditDurability } from './audit-log.js';
import { RemoteAuditRecorder } from './remote-audit-recorder.js';
import { verifyAuditChain } from './verify-chain.js';

let store: ControlledAuditStore;
let host: AuditHost | undefined;

beforeEach(() => {
  store = controlledAuditStore();
  silentAuditLogger.lines.length = 0;
});

afterEach(async () => {
  store.failing = false;
  store.release();
  await host?.close();
  host = undefined;
});

async function openHost(
  durability: AuditDurability,
  queueLimit = 100,
): Promise<{ log: AuditLog; host: AuditHost }> {
  const log = await AuditLog.open({
    store,
    durability,
    flushIntervalMs: 60_000,
    queueLimit,
    logger: silentAuditLogger,
  });
  host = new AuditHost(log, silentAuditLogger);
  return { log, host };
}

async function proxyOf(
  h: AuditHost,
  durability: AuditDurability,
  queueLimit = 100,
): Promise<{ proxy: RemoteAuditRecorder; pair: FakeChannelPair }> {
  const pair = fakeChannelPair();
  h.attach(pair.hostEnd);
  const proxy = new RemoteAuditRecorder(pair.proxyEnd, {
    durability,
    queueLimit,
    logger: silentAuditLogger,
  });
  await proxy.ready();
  return { proxy, pair };
}

/** An event named after the proxy that records it and its number there. */
function eventOf(proxy: string, n: number): AuditEvent {
  return {
    ...sampleAuditEvent(n),
    requestID: `${proxy}-${String(n)}`,
    eventID: `${proxy}-${String(n)}`,
  };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('audit host', () => {
  it('interleaves the records of several channels into one chain, each channel in its own order', async () => {
    const { host: h, log } = await openHost('async');
    const proxies = await Promise.all(
      ['a', 'b', 'c'].map(async (name) => ({ name, ...(await proxyOf(h, 'async')) })),
    );
    for (let n = 1; n <= 4; n++) {
      for (const { name, proxy } of proxies) await proxy.record(eventOf(name, n));
      await turn();
    }
    for (const { proxy } of proxies) await proxy.flush();
    const ids = (await store.query({})).map((r) => r.eventId);
    expect(ids).toHaveLength(12);
    for (const { name, proxy } of proxies) {
      expect(ids.filter((id) => id.startsWith(`${name}-`))).toEqual(
        [1, 2, 3, 4].map((n) => `${name}-${String(n)}`),
      );
      expect(proxy.pending).toBe(0);
      expect(proxy.head).toEqual(log.head);
    }
    // Records of different channels are interleaved, not grouped by channel.
    expect(
      ids
        .slice(0, 3)
        .map((id) => id[0])
        .sort(),
    ).toEqual(['a', 'b', 'c']);
    expect((await verifyAuditChain(store)).broken).toBeUndefined();
  });

  it('pushes a change of availability to every attached channel', async () => {
    const { host: h } = await openHost('async');
    const a = await proxyOf(h, 'async');
    const b = await proxyOf(h, 'async');
    store.failing = true;
    await a.proxy.record(sampleAuditEvent(1));
    await a.proxy.flush();
    expect(a.proxy.isAvailable).toBe(false);
    expect(h.isAvailable).toBe(false);
    await expect.poll(() => b.proxy.isAvailable).toBe(false);
    expect(silentAuditLogger.lines.filter((l) => l.includes('cannot write records'))).toHaveLength(
      1,
    );
    store.failing = false;
    await a.proxy.flush();
    expect(a.proxy.isAvailable).toBe(true);
    await expect.poll(() => b.proxy.isAvailable).toBe(true);
    expect(await store.query({})).toHaveLength(1);
  });

  it('in sync mode lets the records of several channels share one commit', async () => {
    const { host: h } = await openHost('sync');
    const a = await proxyOf(h, 'sync');
    const b = await proxyOf(h, 'sync');
    await Promise.all([a.proxy.record(eventOf('a', 1)), b.proxy.record(eventOf('b', 1))]);
    expect(store.batches).toEqual([2]);
  });

  it('tells only the channels whose sync records failed', async () => {
    const { host: h } = await openHost('sync');
    const a = await proxyOf(h, 'sync');
    const b = await proxyOf(h, 'async');
    await b.proxy.record(eventOf('b', 1));
    await b.proxy.flush();
    store.failing = true;
    await expect(a.proxy.record(eventOf('a', 1))).rejects.toThrow(/audit write failed/);
    expect(
      a.pair.hostEnd.posted.filter((m) => (m as { type: string }).type === 'audit.failed'),
    ).toHaveLength(1);
    expect(
      b.pair.hostEnd.posted.filter((m) => (m as { type: string }).type === 'audit.failed'),
    ).toHaveLength(0);
    store.failing = false;
    await a.proxy.flush();
    expect((await store.query({})).map((r) => r.eventId)).toEqual(['b-1', 'a-1']);
  });

  it("keeps what the log's queue cannot take yet, is unavailable meanwhile, and drops nothing", async () => {
    const { host: h, log } = await openHost('async', 2);
    const a = await proxyOf(h, 'async', 2);
    const b = await proxyOf(h, 'async', 2);
    store.failing = true;
    for (const n of [1, 2]) {
      await a.proxy.record(eventOf('a', n));
      await b.proxy.record(eventOf('b', n));
    }
    await a.proxy.flush();
    await b.proxy.flush();
    expect(log.pending).toBe(2);
    expect(h.isAvailable).toBe(false);
    expect(a.proxy.isAvailable).toBe(false);
    expect(b.proxy.isAvailable).toBe(false);
    store.failing = false;
    await a.proxy.flush();
    await b.proxy.flush();
    expect((await store.query({})).map((r) => r.eventId)).toEqual(['a-1', 'a-2', 'b-1', 'b-2']);
    expect(a.proxy.pending + b.proxy.pending).toBe(0);
    expect(a.proxy.isAvailable && b.proxy.isAvailable).toBe(true);
    expect((await verifyAuditChain(store)).broken).toBeUndefined();
  });

  it('commits the records of a channel that went away', async () => {
    const { host: h, log } = await openHost('async');
    const a = await proxyOf(h, 'async');
    await a.proxy.record(eventOf('a', 1));
    await a.proxy.record(eventOf('a', 2));
    await expect.poll(() => log.pending).toBe(2);
    a.pair.close();
    expect(h.channels).toBe(0);
    await log.flush();
    expect(await store.query({})).toHaveLength(2);
  });

  it('on close commits every record it received and tells every channel it is unavailable', async () => {
    const { host: h, log } = await openHost('async');
    const a = await proxyOf(h, 'async');
    const b = await proxyOf(h, 'async');
    await a.proxy.record(eventOf('a', 1));
    await b.proxy.record(eventOf('b', 1));
    await expect.poll(() => log.pending).toBe(2);
    await h.close();
    host = undefined;
    expect(await store.query({})).toHaveLength(2);
    expect(h.channels).toBe(0);
    await expect.poll(() => a.proxy.isAvailable).toBe(false);
    await expect.poll(() => b.proxy.isAvailable).toBe(false);
    expect(silentAuditLogger.lines.some((l) => l.includes('audit chain head at shutdown'))).toBe(
      true,
    );
  });

  it('refuses, and says so, a record message it cannot read, and goes on with the next', async () => {
    const { host: h } = await openHost('async');
    const { proxy, pair } = await proxyOf(h, 'async');
    await proxy.record(eventOf('a', 1));
    await proxy.flush();
    const good = pair.proxyEnd.posted.find((m) => (m as { type: string }).type === 'audit.record');
    const { packed } = good as { packed: string };
    // Two entries claimed, one sent; then a text cut short.
    pair.proxyEnd.post({ type: 'audit.record', batch: 90, count: 2, packed, sync: false });
    pair.proxyEnd.post({
      type: 'audit.record',
      batch: 91,
      count: 1,
      packed: packed.slice(0, -1),
      sync: false,
    });
    await turn();
    await proxy.record(eventOf('a', 2));
    await proxy.flush();
    expect((await store.query({})).map((r) => r.eventId)).toEqual(['a-1', 'a-2']);
    expect(
      silentAuditLogger.lines.filter((l) => l.includes('malformed message from a proxy refused')),
    ).toHaveLength(2);
    expect((await verifyAuditChain(store)).broken).toBeUndefined();
  });

  it('refuses, and says so, records that arrive after it closed', async () => {
    const { host: h } = await openHost('sync');
    const a = await proxyOf(h, 'sync');
    await h.close();
    host = undefined;
    await expect.poll(() => a.proxy.isAvailable).toBe(false);
    const pair = fakeChannelPair();
    const late = new RemoteAuditRecorder(pair.proxyEnd, {
      durability: 'sync',
      queueLimit: 5,
      logger: silentAuditLogger,
    });
    h.attach(pair.hostEnd);
    await late.ready();
    expect(late.isAvailable).toBe(false);
    await expect(late.record(eventOf('late', 1))).rejects.toThrow(/audit write failed/);
    expect(silentAuditLogger.lines.some((l) => l.includes('after the audit trail closed'))).toBe(
      true,
    );
  });
});
