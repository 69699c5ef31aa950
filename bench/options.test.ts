import { describe, expect, it } from 'vitest';
import { MAX_KEYS, parseBenchArgs, QUICK_PLAN } from './options.js';

describe('parseBenchArgs', () => {
  it('runs the full plan with 100,000 keys and updates the docs by default', () => {
    const o = parseBenchArgs([]);
    if (o === 'help' || 'render' in o) throw new Error('unexpected mode');
    expect(o.mode).toBe('full');
    expect(o.largeStoreKeys).toBe(MAX_KEYS);
    expect(o.updateDocs).toBe(true);
    expect(o.plan.connections).toEqual([32, 1]);
  });

  it('leaves the docs alone on a quick run unless asked', () => {
    const quick = parseBenchArgs(['--quick']);
    if (quick === 'help' || 'render' in quick) throw new Error('unexpected mode');
    expect(quick.plan).toEqual(QUICK_PLAN);
    expect(quick.updateDocs).toBe(false);
    const asked = parseBenchArgs(['--quick', '--docs']);
    expect(asked !== 'help' && !('render' in asked) && asked.updateDocs).toBe(true);
  });

  it('caps the key count at the per-account limit', () => {
    const o = parseBenchArgs(['--keys', '250000']);
    expect(o !== 'help' && !('render' in o) && o.largeStoreKeys).toBe(MAX_KEYS);
  });

  it('renders an earlier result instead of running', () => {
    expect(parseBenchArgs(['--render', 'bench-results/x.json'])).toEqual({
      render: 'bench-results/x.json',
    });
  });

  it('refuses a non-positive duration', () => {
    expect(() => parseBenchArgs(['--duration', '0'])).toThrow('--duration');
  });
});
