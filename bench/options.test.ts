import { describe, expect, it } from 'vitest';
import { MAX_KEYS, parseBenchArgs, parseWorkers, QUICK_PLAN } from './options.js';
import { createKey, largeStoreScenarios, smallStoreScenarios } from './scenarios.js';

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

  it('waits for the server to settle after large-store runs in a full run only', () => {
    const full = parseBenchArgs([]);
    const quick = parseBenchArgs(['--quick']);
    if (full === 'help' || 'render' in full || quick === 'help' || 'render' in quick)
      throw new Error('unexpected mode');
    expect(full.settleLargeStore).toBe(true);
    expect(quick.settleLargeStore).toBe(false);
  });

  it('plans a quick run whose load runs take well under a minute at two worker counts', () => {
    const quick = parseBenchArgs(['--quick'], 2);
    if (quick === 'help' || 'render' in quick) throw new Error('unexpected mode');
    const { rounds, durationSeconds, warmupSeconds, connections } = quick.plan;
    // Each cell: a warm-up of each target, then Trent and the baseline in every round.
    const cellSeconds = 2 * warmupSeconds + 2 * rounds * durationSeconds;
    // CreateKey runs once more at each worker count, after the hot path.
    const smallCells =
      [...smallStoreScenarios, createKey].length * connections.length * quick.workers.length;
    const largeCells = largeStoreScenarios.length * quick.largeStoreConnections.length;
    // The rest of a quick run (starts, restarts, wrk started 92 times) took about 25 s here.
    expect((smallCells + largeCells) * cellSeconds).toBeLessThan(25);
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

  it('measures 1 worker and one per core by default, or the listed worker counts', () => {
    const byDefault = parseBenchArgs(['--quick'], 8);
    expect(byDefault !== 'help' && !('render' in byDefault) && byDefault.workers).toEqual([1, 8]);
    const listed = parseBenchArgs(['--workers', '4,2'], 8);
    expect(listed !== 'help' && !('render' in listed) && listed.workers).toEqual([2, 4]);
  });
});

describe('parseWorkers', () => {
  it('defaults to 1 and the core count, once each', () => {
    expect(parseWorkers(undefined, 4)).toEqual([1, 4]);
    expect(parseWorkers(undefined, 1)).toEqual([1]);
  });

  it('keeps each listed count once, ascending', () => {
    expect(parseWorkers('1,2', 8)).toEqual([1, 2]);
    expect(parseWorkers(' 4, 1,4,,2 ', 8)).toEqual([1, 2, 4]);
    expect(parseWorkers('3', 8)).toEqual([3]);
  });

  it('refuses zero, fractions, words and an empty list', () => {
    expect(() => parseWorkers('0', 2)).toThrow('--workers');
    expect(() => parseWorkers('1,1.5', 2)).toThrow('1.5');
    expect(() => parseWorkers('two', 2)).toThrow('two');
    expect(() => parseWorkers(',', 2)).toThrow('at least one');
  });
});
