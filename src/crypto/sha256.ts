// One-shot SHA-256 for the request path, and HMAC-SHA-256 built from it. crypto.hash (Node 20.12 and
// later) hashes without building a Hash object, which costs more than the hashing itself for the
// short texts SigV4 and the audit trail hash; on an older Node the same digest comes from createHash.
import * as nodeCrypto from 'node:crypto';
import { inspect } from 'node:util';

type OneShot = (
  algorithm: string,
  data: string | Buffer,
  outputEncoding: 'hex' | 'buffer',
) => unknown;

const oneShot = (nodeCrypto as { readonly hash?: OneShot }).hash;

/** SHA-256 of `data` (a string is hashed as UTF-8), as lower-case hex. */
export function sha256Hex(data: string | Buffer): string {
  if (oneShot !== undefined) return oneShot('sha256', data, 'hex') as string;
  return nodeCrypto.createHash('sha256').update(data).digest('hex');
}

/** SHA-256 of `data` (a string is hashed as UTF-8), as 32 bytes. */
export function sha256Bytes(data: string | Buffer): Buffer {
  if (oneShot !== undefined) return oneShot('sha256', data, 'buffer') as Buffer;
  return nodeCrypto.createHash('sha256').update(data).digest();
}

const BLOCK = 64;
const INITIAL_MESSAGE_ROOM = 256;

/**
 * HMAC-SHA-256 under one fixed key, for many short messages (RFC 2104 §2):
 * SHA256((K ^ opad) || SHA256((K ^ ipad) || message)), with both padded key blocks computed once.
 * createHmac imports the key into a new Hmac object on every call, which costs more than the two
 * hashes for a SigV4 string to sign. The padded blocks are key material: they live in private,
 * unpooled buffers, never print, and are zeroed by dispose().
 */
export class HmacSha256Key {
  /** K ^ ipad, then room for the message. */
  #inner: Buffer;
  /** The start of #inner that the last message filled: most messages under one key have one length. */
  #innerInput: Buffer;
  /** K ^ opad, then the inner digest. */
  readonly #outer = Buffer.alloc(BLOCK + 32);

  /** Copies `key`; the caller keeps ownership of (and zeroes) its own bytes. */
  constructor(key: Buffer) {
    // RFC 2104 §2: a key longer than the block is replaced by its hash.
    const k = key.length > BLOCK ? sha256Bytes(key) : key;
    this.#inner = Buffer.alloc(BLOCK + INITIAL_MESSAGE_ROOM);
    this.#innerInput = this.#inner.subarray(0, BLOCK);
    for (let i = 0; i < BLOCK; i++) {
      const byte = i < k.length ? (k[i] as number) : 0;
      this.#inner[i] = byte ^ 0x36;
      this.#outer[i] = byte ^ 0x5c;
    }
    if (k !== key) k.fill(0);
  }

  /** The HMAC of `message` (a string is taken as UTF-8), as lower-case hex. */
  hex(message: string): string {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8, so the write is never cut short.
    if (BLOCK + message.length * 3 > this.#inner.length) this.#grow(BLOCK + message.length * 3);
    const length = BLOCK + this.#inner.write(message, BLOCK, 'utf8');
    if (this.#innerInput.length !== length) this.#innerInput = this.#inner.subarray(0, length);
    this.#outer.write(sha256Hex(this.#innerInput), BLOCK, 'hex');
    return sha256Hex(this.#outer);
  }

  dispose(): void {
    this.#inner.fill(0);
    this.#outer.fill(0);
  }

  #grow(size: number): void {
    const inner = Buffer.alloc(size);
    this.#inner.copy(inner, 0, 0, BLOCK);
    this.#inner.fill(0);
    this.#inner = inner;
    this.#innerInput = inner.subarray(0, BLOCK);
  }

  toString(): string {
    return '[redacted]';
  }

  toJSON(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return 'HmacSha256Key [redacted]';
  }
}
