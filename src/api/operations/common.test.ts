import { describe, expect, it } from 'vitest';
import { page } from './common.js';

const ids = Array.from({ length: 257 }, (_, i) => `k${String(i).padStart(4, '0')}`);

describe('pagination', () => {
  it('walks every item exactly once, in order, following NextMarker', () => {
    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const result = page(ids, (x) => x, 50, marker);
      seen.push(...result.items);
      marker = result.nextMarker;
      pages++;
    } while (marker !== undefined);
    expect(seen).toEqual(ids);
    expect(pages).toBe(6);
  });

  it('continues after the marked item even when that item has since been removed', () => {
    const first = page(ids, (x) => x, 10, undefined);
    const without = ids.filter((x) => x !== 'k0009');
    const next = page(without, (x) => x, 3, first.nextMarker);
    expect(next.items).toEqual(['k0010', 'k0011', 'k0012']);
  });

  it('returns every item and no marker when the limit covers them all', () => {
    const last = page(ids, (x) => x, 300, undefined);
    expect(last.items).toHaveLength(257);
    expect(last.nextMarker).toBeUndefined();
  });
});
