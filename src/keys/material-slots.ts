// The unwrapped material of symmetric keys, 32 bytes per key version, in one buffer that the keyring
// owns. One buffer, not a KeyObject per key: with 100,000 keys, 100,000 KeyObjects (each a native
// handle with a weak reference the collector must visit) made every young-generation collection of a
// worker several times slower, and every request paid for it. A slot is zeroed when its key leaves
// the cache, and the buffer's old copy is zeroed when it grows. Never logs or prints material.
import { inspect } from 'node:util';

/** The length of a SYMMETRIC_DEFAULT key's material (AES-256). */
export const SLOT_BYTES = 32;

/** Marks "no slot" in the fields that hold a slot number. */
export const NO_SLOT = -1;

const INITIAL_SLOTS = 256;

export class MaterialSlots {
  /** Slot i holds bytes [i * SLOT_BYTES, (i + 1) * SLOT_BYTES). */
  #arena: Buffer;
  /** 1 for each slot holding material: a released slot cannot be read or released again. */
  #held: Uint8Array;
  /** Released slots, reused before the arena grows. */
  #free: number[] = [];
  /** Slots below this were handed out at least once. */
  #high = 0;

  constructor(initialSlots = INITIAL_SLOTS) {
    // Buffer.alloc of this size has an ArrayBuffer of its own (never Node's shared pool).
    const slots = Math.max(1, Math.floor(initialSlots));
    this.#arena = Buffer.alloc(slots * SLOT_BYTES);
    this.#held = new Uint8Array(slots);
  }

  /** Copies `bytes` (exactly SLOT_BYTES) into a free slot and returns its number; the caller zeroes
   *  its own copy. */
  put(bytes: Uint8Array): number {
    if (bytes.length !== SLOT_BYTES)
      throw new RangeError(`key material must be ${String(SLOT_BYTES)} bytes`);
    let slot = this.#free.pop();
    if (slot === undefined) {
      if ((this.#high + 1) * SLOT_BYTES > this.#arena.length) this.#grow();
      slot = this.#high++;
    }
    this.#arena.set(bytes, slot * SLOT_BYTES);
    this.#held[slot] = 1;
    return slot;
  }

  /**
   * The slot's bytes as a view into the arena, for a cipher made at once. The view must not be kept
   * past the current turn: a released slot is zeroed and handed to another key.
   */
  view(slot: number): Buffer {
    this.#mustHold(slot);
    const at = slot * SLOT_BYTES;
    return this.#arena.subarray(at, at + SLOT_BYTES);
  }

  /** Zeroes the slot and makes it free for another key. */
  release(slot: number): void {
    this.#mustHold(slot);
    this.#held[slot] = 0;
    this.#arena.fill(0, slot * SLOT_BYTES, (slot + 1) * SLOT_BYTES);
    this.#free.push(slot);
  }

  /** Zeroes every slot and forgets them all (the keyring reloads everything). */
  clear(): void {
    this.#arena.fill(0);
    this.#held.fill(0);
    this.#free = [];
    this.#high = 0;
  }

  /** Slots holding material. */
  get size(): number {
    return this.#high - this.#free.length;
  }

  /** A slot that holds no material is never read (it would be zeros, or another key's). */
  #mustHold(slot: number): void {
    if (this.#held[slot] !== 1) throw new RangeError(`slot ${String(slot)} holds no material`);
  }

  #grow(): void {
    const bigger = Buffer.alloc(this.#arena.length * 2);
    this.#arena.copy(bigger);
    this.#arena.fill(0);
    this.#arena = bigger;
    const held = new Uint8Array(this.#held.length * 2);
    held.set(this.#held);
    this.#held = held;
  }

  toString(): string {
    return `MaterialSlots [${String(this.size)} redacted]`;
  }

  toJSON(): string {
    return this.toString();
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
