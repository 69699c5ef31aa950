import { describe, expect, it } from 'vitest';
import { fillRandom, randomPoolBytes, RandomPool } from './random-pool.js';

/** A refill that writes a known, never-zero counter sequence, so every byte can be traced. */
function countingRefill(): { refill: (block: Buffer) => void; refills: () => number } {
  let next = 0;
  let refills = 0;
  return {
    refill(block) {
      refills++;
      for (let i = 0; i < block.length; i++) block[i] = (next++ % 255) + 1;
    },
    refills: () => refills,
  };
}

describe('RandomPool', () => {
  it('hands out each byte of a refill once, in order, and refills only when too few remain', () => {
    const source = countingRefill();
    const pool = new RandomPool(Buffer.alloc(64), source.refill);
    expect(source.refills()).toBe(0);
    const a = pool.bytes(12);
    const b = pool.bytes(12);
    expect(source.refills()).toBe(1);
    expect([...a]).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect([...b]).toEqual(Array.from({ length: 12 }, (_, i) => i + 13));
    pool.bytes(16);
    pool.bytes(16);
    expect(pool.available).toBe(8);
    // 12 bytes no longer fit: the block is refilled and the request starts at its beginning.
    const c = pool.bytes(12);
    expect(source.refills()).toBe(2);
    expect(c[0]).toBe(65);
    expect(pool.available).toBe(52);
  });

  it('zeroes every byte it hands out in its block, and keeps no copy of them', () => {
    const block = Buffer.alloc(64);
    const pool = new RandomPool(block, countingRefill().refill);
    const out = Buffer.alloc(10);
    pool.fill(out);
    expect(block.subarray(0, 10).every((x) => x === 0)).toBe(true);
    expect(block.subarray(10).every((x) => x !== 0)).toBe(true);
    expect(out.every((x) => x !== 0)).toBe(true);
    // The caller's buffer is not a view of the block: zeroing it leaves the block alone, and back.
    out.fill(0);
    expect(block.subarray(10).every((x) => x !== 0)).toBe(true);
    const owned = pool.bytes(4);
    expect(owned.buffer).not.toBe(block.buffer);
  });

  it('sends a request larger than a quarter of the block straight to the system generator', () => {
    const source = countingRefill();
    const block = Buffer.alloc(64);
    const pool = new RandomPool(block, source.refill);
    const big = pool.bytes(17);
    expect(source.refills()).toBe(0);
    expect(big.some((x) => x !== 0)).toBe(true);
    expect(pool.bytes(16)).toHaveLength(16);
    expect(source.refills()).toBe(1);
  });

  it('fills an empty target without touching the block', () => {
    const source = countingRefill();
    const pool = new RandomPool(Buffer.alloc(64), source.refill);
    pool.fill(Buffer.alloc(0));
    expect(pool.bytes(0)).toHaveLength(0);
    expect(source.refills()).toBe(0);
  });
});

describe('the process-wide pool', () => {
  it('gives distinct random bytes on every call', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) seen.add(randomPoolBytes(12).toString('hex'));
    expect(seen.size).toBe(2000);
    const key = Buffer.alloc(32);
    fillRandom(key);
    expect(key.equals(Buffer.alloc(32))).toBe(false);
  });

  it('hands out bytes that look uniformly random', () => {
    const counts = new Array<number>(256).fill(0);
    for (let i = 0; i < 4000; i++) for (const byte of randomPoolBytes(32)) counts[byte]!++;
    // 128,000 bytes over 256 values: 500 expected each; a working generator stays far inside this.
    expect(Math.min(...counts)).toBeGreaterThan(350);
    expect(Math.max(...counts)).toBeLessThan(650);
  });
});
