import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  cpuSeconds,
  isAlive,
  memory,
  parseCpuSeconds,
  parseParentAndState,
  parsePssBytes,
  parseStatusBytes,
  processTree,
  treeCpuSeconds,
  treeFrom,
  treeMemory,
  treePssBytes,
} from './proc-stats.js';

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

describe('parseParentAndState', () => {
  it('reads the state and the parent pid after a command name with spaces and parentheses', () => {
    const stat = '4243 (node (worker) 1) Z 4242 4242 4242 0 -1 4194560 1000 0 0 0 250 50 0 0';
    expect(parseParentAndState(stat)).toEqual({ ppid: 4242, state: 'Z' });
  });
});

describe('treeFrom', () => {
  it('lists the root, its children and their children, and nothing else', () => {
    const parents = new Map([
      [10, 1],
      [12, 10],
      [11, 10],
      [20, 12],
      [30, 1],
      [31, 30],
    ]);
    expect(treeFrom(10, parents)).toEqual([10, 11, 12, 20]);
    expect(treeFrom(30, parents)).toEqual([30, 31]);
    expect(treeFrom(20, parents)).toEqual([20]);
  });
});

describe('parsePssBytes', () => {
  it('reads the Pss line of smaps_rollup in bytes, not Pss_Anon or Rss', () => {
    const rollup = [
      '00400000-7ffd5a3c1000 ---p 00000000 00:00 0                          [rollup]',
      'Rss:               76000 kB',
      'Pss:               36187 kB',
      'Pss_Anon:          30560 kB',
      'Pss_File:           5627 kB',
    ].join('\n');
    expect(parsePssBytes(rollup)).toBe(36187 * 1024);
    expect(parsePssBytes('Rss: 76000 kB\nPss_Anon: 30560 kB')).toBeUndefined();
  });
});

describe('reading a live process tree', () => {
  it('includes a child process in the tree, its CPU and its memory, until it ends', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
      stdio: 'ignore',
    });
    try {
      const pid = child.pid;
      if (pid === undefined) throw new Error('the child did not start');
      // A child is listed as soon as it exists; wait for it to have exec'd node (it has RSS then).
      while (memory(pid).rssBytes < 10 * 1024 * 1024) await new Promise((r) => setTimeout(r, 20));
      const tree = processTree(process.pid);
      expect(tree[0]).toBe(process.pid);
      expect(tree).toContain(pid);
      expect(treeMemory(tree).rssBytes).toBeGreaterThan(memory(process.pid).rssBytes);
      // Both are node and share its code: their PSS sums to less than their RSS.
      const pss = treePssBytes([process.pid, pid]);
      expect(pss).toBeGreaterThan(0);
      expect(pss).toBeLessThan(treeMemory([process.pid, pid]).rssBytes);
      expect(treeCpuSeconds(tree)).toBeGreaterThanOrEqual(cpuSeconds(process.pid));
      expect(isAlive(pid)).toBe(true);
      child.kill('SIGKILL');
      await once(child, 'exit');
      expect(isAlive(pid)).toBe(false);
      expect(processTree(process.pid)).not.toContain(pid);
      expect(processTree(pid)).toEqual([]);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
