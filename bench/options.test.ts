import { describe, expect, it } from 'vitest';
import { MAX_KEYS, parseBenchArgs, QUICK_PLAN } from './options.js';

describe('parseBenchArgs', () => {
  it('runs the full plan with 100,000 keys and updates the docs by default', () => {
    const o = parseBenchArgs([]);
    if (o === 'help') throw new Error('unexpected help');
    expect(o.mode).toBe('full');
    expect(o.largeStoreKeys).toBe(MAX_KEYS);
    expect(o.updateDocs).toBe(true);
    expect(o.plan.connections).toEqual([32, 1]);
  });

  it('leaves the docs alone on a quick run unless asked', () => {
    const quick = parseBenchArgs(['--quick']);
    if (quick === 'help') throw new Error('unexpected help');
    expect(quick.plan).toEqual(QUICK_PLAN);
    expect(quick.updateDocs).toBe(false);
    const asked = parseBenchArgs(['--quick', '--docs']);
    expect(asked !== 'help' && asked.updateDocs).toBe(true);
  });

  it('caps the key count at the per-account limit', () => {
    const o = parseBenchArgs(['--keys', '250000']);
    expect(o !== 'help' && o.largeStoreKeys).toBe(MAX_KEYS);
  });

  it('refuses a non-positive duration', () => {
    expect(() => parseBenchArgs(['--duration', '0'])).toThrow('--duration');
  });
});
