import { describe, expect, it } from 'vitest';
import {
  areaOf,
  formatProfileSummary,
  summarizeProfile,
  type CpuProfile,
} from './profile-summary.js';

const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 9 });

const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)', '') },
    { id: 2, callFrame: frame('(idle)', '') },
    { id: 3, callFrame: frame('sealWithKey', 'file:///repo/dist/src/keys/symmetric.js') },
    { id: 4, callFrame: frame('serialize', 'file:///repo/node_modules/fastify/lib/reply.js') },
    { id: 5, callFrame: frame('(garbage collector)', '') },
  ],
  samples: [2, 3, 3, 4, 5, 2],
  timeDeltas: [5000, 1000, 2000, 500, 500, 3000],
};

describe('areaOf', () => {
  it('names project folders, packages, Node internals and V8 pseudo-frames', () => {
    expect(areaOf(frame('f', 'file:///repo/dist/src/api/server.js'))).toBe('src/api');
    expect(areaOf(frame('f', 'file:///repo/node_modules/@smithy/x/index.js'))).toBe('@smithy/x');
    expect(areaOf(frame('f', 'node:internal/http'))).toBe('node internals');
    expect(areaOf(frame('(garbage collector)', ''))).toBe('(garbage collector)');
  });
});

describe('summarizeProfile', () => {
  it('adds self time per function and area and leaves idle time out of the shares', () => {
    const s = summarizeProfile(profile);
    expect(s.idleMs).toBe(8);
    expect(s.busyMs).toBe(4);
    expect(s.byArea[0]).toEqual({ name: 'src/keys', selfMs: 3, percent: 75 });
    expect(s.byFunction[0]?.name).toBe('sealWithKey dist/src/keys/symmetric.js:10');
    expect(s.byArea.map((a) => a.name)).toEqual(['src/keys', 'fastify', '(garbage collector)']);
  });

  it('adds up several profiles (one per process of a cluster) as one', () => {
    const s = summarizeProfile([profile, profile]);
    expect(s.idleMs).toBe(16);
    expect(s.busyMs).toBe(8);
    expect(s.byArea[0]).toEqual({ name: 'src/keys', selfMs: 6, percent: 75 });
  });

  it('formats both tables', () => {
    const text = formatProfileSummary(summarizeProfile(profile));
    expect(text).toContain('Busy 4 ms, idle 8 ms.');
    expect(text).toContain('| src/keys | 3 | 75.0% |');
  });
});
