// Proxies in child processes (running the build output, which `npm test` builds first) talk to one host
// in this process over real process IPC, whose JSON serialization is what the messages must survive.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleAuditEvent, silentAuditLogger } from '../../test/fakes/audit-events.js';
import {
  controlledAuditStore,
  type ControlledAuditStore,
} from '../../test/fakes/controlled-audit-store.js';
import type { AuditEvent } from './audit-event.js';
import { asHostMessage, asProxyMessage, ipcChannel, isAuditMessage } from './audit-channel.js';
import { AuditHost } from './audit-host.js';
import { AuditLog, type AuditDurability } from './audit-log.js';
import { auditEntryOf } from './hash-chain.js';
import { packedEntry } from './packed-entries.js';
import { verifyAuditChain } from './verify-chain.js';

const built = (file: string) => new URL(`../../dist/src/audit/${file}`, import.meta.url).href;

/** The child: records the events it is given through a proxy over its IPC channel, then closes. */
const CHILD = `
const { RemoteAuditRecorder } = await import(${JSON.stringify(built('remote-audit-recorder.js'))});
const { ipcChannel } = await import(${JSON.stringify(built('audit-channel.js'))});
const quiet = { error() {}, warn() {}, info() {} };
const proxy = new RemoteAuditRecorder(ipcChannel(process), {
  durability: process.env.DURABILITY, queueLimit: 100, logger: quiet,
});
await proxy.ready();
for (const event of JSON.parse(process.env.EVENTS)) await proxy.record(event);
await proxy.close();
process.send({ type: 'test.done', head: proxy.head, available: proxy.isAvailable });
process.disconnect();
`;

let store: ControlledAuditStore;
let host: AuditHost;
const children: ChildProcess[] = [];

beforeEach(async () => {
  store = controlledAuditStore();
  const log = await AuditLog.open({
    store,
    durability: 'async',
    flushIntervalMs: 60_000,
    queueLimit: 100,
    logger: silentAuditLogger,
  });
  host = new AuditHost(log, silentAuditLogger);
});

afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  await host.close();
});

function eventsOf(name: string, count: number): AuditEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    ...sampleAuditEvent(i + 1),
    requestID: `${name}-${String(i + 1)}`,
    eventID: `${name}-${String(i + 1)}`,
  }));
}

/** Starts a child proxy attached to the host; resolves with what it reports when done. */
function runChild(
  events: AuditEvent[],
  durability: AuditDurability,
  serialization: 'json' | 'advanced' = 'json',
): Promise<unknown> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization,
    env: { ...process.env, EVENTS: JSON.stringify(events), DURABILITY: durability },
  });
  children.push(child);
  host.attach(ipcChannel(child));
  return new Promise((resolve, reject) => {
    child.on('message', (m: { type?: string }) => {
      if (m.type === 'test.done') resolve(m);
    });
    child.once('exit', (code) => {
      reject(new Error(`child exited with ${String(code)} before it was done`));
    });
  });
}

describe('audit channel over process IPC', () => {
  it.each(['json', 'advanced'] as const)(
    'carries the records of several processes into one chain, in sync and async mode (%s serialization)',
    async (serialization) => {
      const done = await Promise.all([
        runChild(eventsOf('sync', 5), 'sync', serialization),
        runChild(eventsOf('async', 5), 'async', serialization),
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
      for (const d of done)
        expect((d as { head: { seq: number } }).head.seq).toBeGreaterThanOrEqual(5);
      await expect.poll(() => host.channels).toBe(0);
    },
  );

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
    ]) {
      expect(asProxyMessage(broken)).toBeUndefined();
      expect(isAuditMessage(broken)).toBe(true);
    }
    expect(isAuditMessage({ type: 'cluster.ready' })).toBe(false);
    expect(isAuditMessage({ trent: 'write' })).toBe(false);
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
