// Random bytes for the request path (IVs, data keys), drawn from a block that crypto.randomFillSync
// fills: one call into the system generator per block instead of one per IV or data key. Every byte
// is handed out once and zeroed in the block as it leaves, so the block never keeps a copy of an IV
// or a data key already given away; what it holds is only bytes not used yet.
import { randomFillSync } from 'node:crypto';

/** Bytes per refill of the process-wide pool. */
export const POOL_BYTES = 4096;

export class RandomPool {
  readonly #block: Buffer;
  readonly #refill: (block: Buffer) => void;
  readonly #largest: number;
  /** Where the unused bytes start; the block counts as used up until the first request fills it. */
  #offset: number;

  /**
   * @param block the pool's own memory (Buffer.alloc, never the shared pool behind allocUnsafe)
   * @param refill fills the block with random bytes (randomFillSync; tests pass a counting one)
   */
  constructor(
    block: Buffer = Buffer.alloc(POOL_BYTES),
    refill: (block: Buffer) => void = randomFillSync,
  ) {
    this.#block = block;
    this.#refill = refill;
    this.#largest = block.length >>> 2;
    this.#offset = block.length;
  }

  /** Fills `target` with fresh random bytes. A large request goes straight to randomFillSync. */
  fill(target: Uint8Array): void {
    const size = target.length;
    if (size > this.#largest) {
      randomFillSync(target);
      return;
    }
    if (this.#offset + size > this.#block.length) {
      this.#refill(this.#block);
      this.#offset = 0;
    }
    const start = this.#offset;
    const end = start + size;
    this.#block.copy(target, 0, start, end);
    this.#block.fill(0, start, end);
    this.#offset = end;
  }

  /** `size` fresh random bytes in a buffer of their own. */
  bytes(size: number): Buffer {
    const out = Buffer.alloc(size);
    this.fill(out);
    return out;
  }

  /** Unused bytes left before the next refill (for tests). */
  get available(): number {
    return this.#block.length - this.#offset;
  }
}

const shared = new RandomPool();

/** Fills `target` with random bytes from the process-wide pool. */
export function fillRandom(target: Uint8Array): void {
  shared.fill(target);
}

/** `size` random bytes from the process-wide pool, in a zero-initialised buffer of their own. */
export function randomPoolBytes(size: number): Buffer {
  return shared.bytes(size);
}
