import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { isBase64 } from './base64.js';
import { seededRandom } from '../../test/fakes/seeded-random.js';

// The backtracking pattern the check replaces: the accept/reject set must stay exactly this one.
const REFERENCE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

function* allStrings(symbols: readonly string[], maxLength: number): Generator<string> {
  let level = [''];
  yield '';
  for (let length = 1; length <= maxLength; length++) {
    const next: string[] = [];
    for (const prefix of level) for (const s of symbols) next.push(prefix + s);
    yield* next;
    level = next;
  }
}

describe('isBase64', () => {
  it('agrees with the reference pattern on every string of up to 8 characters of 4 kinds', () => {
    // One alphabet letter, the two non-letter alphabet characters, padding, and a stranger.
    let checked = 0;
    for (const s of allStrings(['A', '+', '=', '-'], 8)) {
      if (isBase64(s) !== REFERENCE.test(s)) expect.fail(`disagrees on ${JSON.stringify(s)}`);
      checked++;
    }
    expect(checked).toBeGreaterThan(80_000);
  });

  it('agrees with the reference pattern on 200,000 random strings', () => {
    const next = seededRandom(20261129);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const strangers = ['=', '-', '_', ' ', '\n', '\r', '.', '\0', 'é', '€', '\u{1f511}', '\uD800'];
    const pick = (from: string | readonly string[]) => from[Math.floor(next() * from.length)] ?? '';
    for (let i = 0; i < 200_000; i++) {
      const length = Math.floor(next() * 24);
      let s = '';
      for (let j = 0; j < length; j++) {
        const r = next();
        s += r < 0.85 ? pick(alphabet) : r < 0.95 ? '=' : pick(strangers);
      }
      if (isBase64(s) !== REFERENCE.test(s)) expect.fail(`disagrees on ${JSON.stringify(s)}`);
    }
  });

  it('accepts what Buffer encodes, padded or not, short and long', () => {
    for (let size = 0; size <= 300; size++) {
      const text = randomBytes(size).toString('base64');
      expect(isBase64(text)).toBe(true);
      expect(isBase64(text.replace(/=+$/, ''))).toBe(true);
    }
    expect(isBase64(randomBytes(4096).toString('base64'))).toBe(true);
    expect(isBase64(randomBytes(65_536).toString('base64'))).toBe(true);
  });

  it('rejects url-safe characters, whitespace, misplaced or extra padding and a lone character', () => {
    for (const s of [
      'ab-_',
      'ab cd',
      'abcd\n',
      'ab=c',
      'abc==',
      'ab===',
      'a',
      'abcde',
      '=',
      '==',
    ]) {
      expect([s, isBase64(s)]).toEqual([s, false]);
    }
  });

  it('rejects a long near-miss without backtracking blow-up', () => {
    expect(isBase64(`${'A'.repeat(100_000)}!`)).toBe(false);
    expect(isBase64('A'.repeat(100_001))).toBe(false);
  });
});
