import { describe, expect, it } from 'vitest';
import { median, percentile, ratio } from './stats.js';

describe('percentile', () => {
  const values = Array.from({ length: 100 }, (_, i) => i + 1);

  it('takes the nearest rank of an ascending list', () => {
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 90)).toBe(90);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
  });

  it('answers the single value of a one-element list for any percentile', () => {
    expect(percentile([7], 1)).toBe(7);
    expect(percentile([7], 99)).toBe(7);
  });

  it('answers 0 for an empty list', () => {
    expect(percentile([], 99)).toBe(0);
  });
});

describe('median', () => {
  it('takes the middle of an odd count regardless of order', () => {
    expect(median([9, 1, 5])).toBe(5);
  });

  it('averages the two middle values of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('does not reorder its input', () => {
    const input = [3, 1, 2];
    median(input);
    expect(input).toEqual([3, 1, 2]);
  });

  it('answers 0 for no values', () => {
    expect(median([])).toBe(0);
  });
});

describe('ratio', () => {
  it('divides Trent by the baseline', () => {
    expect(ratio(600, 1000)).toBeCloseTo(0.6);
  });

  it('has no value when the baseline is zero', () => {
    expect(ratio(5, 0)).toBeUndefined();
  });
});
