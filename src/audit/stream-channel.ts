// An audit channel over a byte stream (a pipe between two processes). Each message is one frame: its
// members as JSON, then a record message's packed entries as raw UTF-8, so that neither end escapes,
// parses or clones the canonical texts, and no serializer is set up per message. A frame the reader
// cannot make out is delivered as `audit.unreadable`, which a host refuses and logs; a length past
// MAX_FRAME_BYTES leaves the stream out of step for good, so the channel closes.
import type { Duplex } from 'node:stream';
import type { AuditChannel } from './audit-channel.js';

// A frame: <u32 LE: bytes that follow> <u32 LE: bytes of the head> <head: JSON> <tail: UTF-8>.
// The head is the message with `packed` (when it is a string or bytes) written as "", and the tail is
// that text in UTF-8 (bytes are its UTF-8 already); without a packed text the tail is empty. UTF-8 has
// no lone surrogate: one crosses as U+FFFD, which is also what the chain hash takes of it (no field of
// a real entry holds one).
const LENGTH_BYTES = 4;
/** Longer than any batch of records a proxy sends (a message holds at most 1000 of them). */
const MAX_FRAME_BYTES = 1 << 29;

function isRecordLike(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The bytes to write for `message`: the frame's lengths and head, then its tail (or undefined): a
 * packed text's UTF-8, encoded here when it is given as a string, written as it is when given as bytes.
 */
function frameOf(message: unknown): {
  readonly head: Buffer;
  readonly tail: Uint8Array | undefined;
} {
  const packed = isRecordLike(message) ? message.packed : undefined;
  const tail =
    typeof packed === 'string'
      ? Buffer.from(packed, 'utf8')
      : packed instanceof Uint8Array
        ? packed
        : undefined;
  // The packed text never goes into the head: JSON would escape a string and write bytes as an object.
  const json = Buffer.from(
    JSON.stringify(tail === undefined ? message : { ...(message as object), packed: '' }),
  );
  const tailBytes = tail?.byteLength ?? 0;
  const head = Buffer.allocUnsafe(2 * LENGTH_BYTES + json.length);
  head.writeUInt32LE(LENGTH_BYTES + json.length + tailBytes, 0);
  head.writeUInt32LE(json.length, LENGTH_BYTES);
  json.copy(head, 2 * LENGTH_BYTES);
  return { head, tail: tailBytes > 0 ? tail : undefined };
}

const UNREADABLE = Object.freeze({ type: 'audit.unreadable' });

/** The message in a frame's body (its bytes after the first length), or UNREADABLE. */
function messageOf(body: Buffer): unknown {
  if (body.length < LENGTH_BYTES) return UNREADABLE;
  const headBytes = body.readUInt32LE(0);
  if (headBytes > body.length - LENGTH_BYTES) return UNREADABLE;
  let message: unknown;
  try {
    message = JSON.parse(body.toString('utf8', LENGTH_BYTES, LENGTH_BYTES + headBytes));
  } catch {
    return UNREADABLE;
  }
  const hasTail = LENGTH_BYTES + headBytes < body.length;
  if (!isRecordLike(message)) return hasTail ? UNREADABLE : message;
  // Precondition: a tail belongs to a head whose packed text was left out.
  if (message.packed !== '') return hasTail ? UNREADABLE : message;
  message.packed = body.toString('utf8', LENGTH_BYTES + headBytes);
  return message;
}

/** Gathers the stream's chunks and cuts whole frames from them. */
class FrameReader {
  #chunks: Buffer[] = [];
  #bytes = 0;

  push(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#bytes += chunk.length;
  }

  /** The next whole frame's body; undefined while it is incomplete; throws if it is too long. */
  next(): Buffer | undefined {
    if (this.#bytes < LENGTH_BYTES) return undefined;
    let first = this.#chunks[0] as Buffer;
    if (first.length < LENGTH_BYTES) first = this.#joined();
    const frameBytes = first.readUInt32LE(0);
    if (frameBytes > MAX_FRAME_BYTES) throw new Error('audit frame too long');
    const end = LENGTH_BYTES + frameBytes;
    if (this.#bytes < end) return undefined;
    // Joined once the frame is whole, so a long frame is not copied again at every chunk.
    const all = first.length >= end ? first : this.#joined();
    const rest = all.subarray(end);
    this.#chunks = rest.length > 0 ? [rest] : [];
    this.#bytes = rest.length;
    return all.subarray(LENGTH_BYTES, end);
  }

  #joined(): Buffer {
    const all = Buffer.concat(this.#chunks, this.#bytes);
    this.#chunks = [all];
    return all;
  }
}

/**
 * A channel over `stream` (either end); messages are plain data, as on every audit channel. Closing
 * the stream, or its failing, closes the channel.
 */
export function streamChannel(stream: Duplex): AuditChannel {
  const reader = new FrameReader();
  const listeners = new Set<(message: unknown) => void>();
  // A write that fails (the other process just went away) is followed by 'close'.
  stream.on('error', () => undefined);
  stream.on('data', (chunk: Buffer) => {
    reader.push(chunk);
    for (;;) {
      let body: Buffer | undefined;
      try {
        body = reader.next();
      } catch {
        stream.destroy();
        return;
      }
      if (body === undefined) return;
      const message = messageOf(body);
      for (const listener of [...listeners]) listener(message);
    }
  });
  return {
    post(message) {
      if (stream.destroyed || !stream.writable) throw new Error('the audit stream is closed');
      const { head, tail } = frameOf(message);
      stream.cork();
      stream.write(head);
      if (tail !== undefined) stream.write(tail);
      stream.uncork();
    },
    onMessage(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    onClose(listener) {
      let isStopped = false;
      const once = () => {
        if (!isStopped) listener();
      };
      // A stream closed already emits no 'close' again.
      if (stream.destroyed) queueMicrotask(once);
      else stream.once('close', once);
      return () => {
        isStopped = true;
        stream.off('close', once);
      };
    },
  };
}
