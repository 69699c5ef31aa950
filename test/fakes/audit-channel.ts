// Two ends of an in-memory audit channel. Delivery is asynchronous and in order, and every message goes
// through the structured clone on the way, as over a MessagePort: what it cannot carry does not arrive,
// and a Buffer arrives as a plain Uint8Array.
import type { AuditChannel } from '../../src/audit/audit-channel.js';

export interface FakeChannelEnd extends AuditChannel {
  /** Every message this end posted, as delivered (after the structured clone). */
  readonly posted: unknown[];
}

export interface FakeChannelPair {
  readonly proxyEnd: FakeChannelEnd;
  readonly hostEnd: FakeChannelEnd;
  /** Ends the link: both ends see it close and later posts throw. */
  close(): void;
}

export function fakeChannelPair(): FakeChannelPair {
  let open = true;
  const closeListeners = new Set<() => void>();
  type Listeners = Set<(m: unknown) => void>;
  const end = (): FakeChannelEnd & {
    listeners: Listeners;
    peer: { listeners: Listeners } | undefined;
  } => {
    const self = {
      posted: [] as unknown[],
      listeners: new Set<(m: unknown) => void>(),
      peer: undefined as { listeners: Listeners } | undefined,
      post(message: unknown) {
        if (!open) throw new Error('channel closed');
        const delivered: unknown = structuredClone(message);
        self.posted.push(delivered);
        const peer = self.peer;
        setImmediate(() => {
          if (!open || peer === undefined) return;
          for (const l of [...peer.listeners]) l(delivered);
        });
      },
      onMessage(listener: (m: unknown) => void) {
        self.listeners.add(listener);
        return () => {
          self.listeners.delete(listener);
        };
      },
      onClose(listener: () => void) {
        closeListeners.add(listener);
        return () => {
          closeListeners.delete(listener);
        };
      },
    };
    return self;
  };
  const proxyEnd = end();
  const hostEnd = end();
  proxyEnd.peer = hostEnd;
  hostEnd.peer = proxyEnd;
  return {
    proxyEnd,
    hostEnd,
    close() {
      if (!open) return;
      open = false;
      for (const l of [...closeListeners]) l();
    },
  };
}
