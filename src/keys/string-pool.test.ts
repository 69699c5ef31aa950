import { describe, expect, it } from 'vitest';
import { StringPool } from './string-pool.js';

describe('string pool', () => {
  it('gives back equal text and holds each distinct text once', () => {
    const pool = new StringPool();
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [] });
    for (let i = 0; i < 100; i++) {
      expect(pool.share(JSON.parse(JSON.stringify(policy)) as string)).toBe(policy);
      expect(pool.share(`1111222233${String(33)}`)).toBe('111122223333');
    }
    expect(pool.size).toEqual({ texts: 2, chars: policy.length + 12 });
  });

  it('starts over rather than grow past its bound', () => {
    const pool = new StringPool(100);
    for (let i = 0; i < 1000; i++) pool.share(`description ${String(i)}`);
    expect(pool.size.chars).toBeLessThanOrEqual(100);
    expect(pool.size.texts).toBeGreaterThan(0);
    pool.share('Enabled');
    expect(pool.size.chars).toBeLessThanOrEqual(100);
  });

  it('leaves texts longer than 4096 characters unpooled', () => {
    const pool = new StringPool();
    const long = 'x'.repeat(4097);
    expect(pool.share(long)).toBe(long);
    expect(pool.size).toEqual({ texts: 0, chars: 0 });
  });
});
