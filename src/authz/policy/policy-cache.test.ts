import { describe, expect, it } from 'vitest';
import { PolicyCache } from './policy-cache.js';

const doc = (sid: string) =>
  JSON.stringify({ Statement: { Sid: sid, Effect: 'Allow', Action: 'kms:*', Resource: '*' } });

describe('PolicyCache', () => {
  it('compiles a document once and returns the same compiled policy', () => {
    const cache = new PolicyCache('identity');
    const first = cache.get(doc('a'));
    expect(cache.get(doc('a'))).toBe(first);
    expect(cache.size).toBe(1);
  });

  it('stays within its bound, dropping the oldest entry', () => {
    const cache = new PolicyCache('identity', 2);
    const a = cache.get(doc('a'));
    cache.get(doc('b'));
    cache.get(doc('c'));
    expect(cache.size).toBe(2);
    expect(cache.get(doc('a'))).not.toBe(a);
  });

  it('does not cache a document that fails to parse', () => {
    const cache = new PolicyCache('identity');
    expect(() => cache.get('{')).toThrow();
    expect(cache.size).toBe(0);
  });
});
