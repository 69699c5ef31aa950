// The messages between an audit proxy (RemoteAuditRecorder) and the audit host (AuditHost), and the
// channel over a worker thread's MessagePort (stream-channel.ts has the one over a pipe between
// processes). Every message is plain data (strings, numbers, booleans, arrays of them), and a record
// message's packed entries (packed-entries.ts) a string or its UTF-8 bytes; the structured clone and the
// stream channel carry both. A message never holds anything but audit events, positions and hashes.
import type { MessagePort } from 'node:worker_threads';
import type { AuditEntry } from './hash-chain.js';
import { unpackEntries } from './packed-entries.js';

/** A two-way, ordered message link; messages are delivered in the order they were posted. */
export interface AuditChannel {
  post(message: unknown): void;
  /** Calls `listener` with every message that arrives; returns the function that stops it. */
  onMessage(listener: (message: unknown) => void): () => void;
  /** Calls `listener` once when the other end is gone for good; returns the function that stops it. */
  onClose?(listener: () => void): () => void;
}

/**
 * Proxy → host: `count` entries to append, in order, packed into one text (packedEntry of each, back to
 * back), as a string or as its UTF-8 bytes; `sync` asks for a commit at once.
 */
export interface PackedRecordMessage {
  readonly type: 'audit.record';
  readonly batch: number;
  readonly count: number;
  readonly packed: string | Uint8Array;
  readonly sync: boolean;
}

/** A PackedRecordMessage as the host reads it: its entries unpacked. */
export interface RecordMessage {
  readonly type: 'audit.record';
  readonly batch: number;
  readonly entries: readonly AuditEntry[];
  readonly sync: boolean;
}

/** Proxy → host: commit everything sent before this, then answer `audit.flushed`. */
export interface FlushMessage {
  readonly type: 'audit.flush';
  readonly flush: number;
}

/** Proxy → host: a new proxy asks for the current state. */
export interface HelloMessage {
  readonly type: 'audit.hello';
}

/**
 * Host → proxy: whether the trail accepts records, the committed head, and the last of this channel's
 * batches that is committed (0 before any).
 */
export interface StateMessage {
  readonly type: 'audit.state';
  readonly available: boolean;
  readonly seq: number;
  readonly hash: string;
  readonly committed: number;
}

/** Host → proxy: sync batches whose commit failed; their records stay queued until a commit succeeds. */
export interface FailedMessage {
  readonly type: 'audit.failed';
  readonly batches: readonly number[];
}

/** Host → proxy: the host tried to commit everything sent before flush `flush`. */
export interface FlushedMessage {
  readonly type: 'audit.flushed';
  readonly flush: number;
}

export type ProxyMessage = RecordMessage | FlushMessage | HelloMessage;
export type HostMessage = StateMessage | FailedMessage | FlushedMessage;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/**
 * A record message's packed text: the string, or the text of its UTF-8 bytes (a structured clone
 * delivers a Buffer as a plain Uint8Array). Bytes that are not UTF-8 decode to U+FFFD, and the
 * unpacking then refuses the lengths that no longer fit.
 */
function packedText(packed: unknown): string | undefined {
  if (typeof packed === 'string') return packed;
  if (!(packed instanceof Uint8Array)) return undefined;
  return Buffer.from(packed.buffer, packed.byteOffset, packed.byteLength).toString('utf8');
}

/** Whether the message claims to be one of the audit trail's (its type starts with `audit.`). */
export function isAuditMessage(message: unknown): message is { readonly type: string } {
  return isObject(message) && typeof message.type === 'string' && message.type.startsWith('audit.');
}

/**
 * The message if it is one a proxy sends, a record message with its entries unpacked; else undefined
 * (other traffic on a shared channel, or a malformed message).
 */
export function asProxyMessage(message: unknown): ProxyMessage | undefined {
  if (!isObject(message)) return undefined;
  switch (message.type) {
    case 'audit.record': {
      const { batch, count, packed, sync } = message;
      const text = packedText(packed);
      if (!isCount(batch) || !isCount(count) || text === undefined) return undefined;
      if (typeof sync !== 'boolean') return undefined;
      const entries = unpackEntries(text, count);
      return entries === undefined ? undefined : { type: 'audit.record', batch, entries, sync };
    }
    case 'audit.flush':
      return isCount(message.flush) ? (message as unknown as FlushMessage) : undefined;
    case 'audit.hello':
      return { type: 'audit.hello' };
    default:
      return undefined;
  }
}

/** The message if it is one the host sends, else undefined. */
export function asHostMessage(message: unknown): HostMessage | undefined {
  if (!isObject(message)) return undefined;
  switch (message.type) {
    case 'audit.state':
      return typeof message.available === 'boolean' &&
        isCount(message.seq) &&
        typeof message.hash === 'string' &&
        isCount(message.committed)
        ? (message as unknown as StateMessage)
        : undefined;
    case 'audit.failed':
      return Array.isArray(message.batches) && message.batches.every(isCount)
        ? (message as unknown as FailedMessage)
        : undefined;
    case 'audit.flushed':
      return isCount(message.flush) ? (message as unknown as FlushedMessage) : undefined;
    default:
      return undefined;
  }
}

/** A channel over a worker thread's MessagePort (either end). */
export function messagePortChannel(port: MessagePort): AuditChannel {
  return {
    post(message) {
      port.postMessage(message);
    },
    onMessage(listener) {
      port.on('message', listener);
      return () => {
        port.off('message', listener);
      };
    },
    onClose(listener) {
      port.once('close', listener);
      return () => {
        port.off('close', listener);
      };
    },
  };
}
