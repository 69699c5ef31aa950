import { describe, expect, it } from 'vitest';
import { cpuSeconds, memory, parseCpuSeconds, parseStatusBytes } from './proc-stats.js';

describe('parseCpuSeconds', () => {
  it('adds utime and stime, counted after a command name with spaces and parentheses', () => {
    const stat =
      '4242 (node (my) server) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 50 0 0 20 0 11 0';
    expect(parseCpuSeconds(stat)).toBe(3);
  });
});

describe('parseStatusBytes', () => {
  const status = 'Name:\tnode\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\n';

  it('reads a kB field as bytes', () => {
    expect(parseStatusBytes(status, 'VmRSS')).toBe(102400 * 1024);
    expect(parseStatusBytes(status, 'VmHWM')).toBe(204800 * 1024);
  });

  it('has no value for a missing field', () => {
    expect(parseStatusBytes(status, 'VmSwap')).toBeUndefined();
  });
});

describe('reading a live process', () => {
  it('finds CPU time and a peak RSS at least as large as the RSS for this process', () => {
    const mem = memory(process.pid);
    expect(mem.rssBytes).toBeGreaterThan(0);
    expect(mem.peakRssBytes).toBeGreaterThanOrEqual(mem.rssBytes);
    expect(cpuSeconds(process.pid)).toBeGreaterThan(0);
  });
});
