import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { decodeBase64, isBase64 } from './base64.js';
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

describe('decodeBase64', () => {
  /** What it must answer: the reference pattern decides, Node's decoder gives the bytes. */
  function expected(text: string): string | undefined {
    return REFERENCE.test(text) ? Buffer.from(text, 'base64').toString('hex') : undefined;
  }

  function check(text: string): void {
    const bytes = decodeBase64(text);
    if (bytes?.toString('hex') !== expected(text))
      expect.fail(`disagrees on ${JSON.stringify(text)}: ${bytes?.toString('hex') ?? 'undefined'}`);
  }

  it('agrees with the reference on every string of up to 7 characters of 5 kinds', () => {
    // 'A' and 'Q' differ in their low bits: 'AQ==' is canonical, 'AR==' and 'QQ' are not.
    for (const s of allStrings(['A', 'Q', '/', '=', '-'], 7)) check(s);
  });

  it('agrees with the reference on long texts with a flaw anywhere (past the short-text check)', () => {
    const next = seededRandom(20270301);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    // Node's decoder skips, maps or truncates each of these where the reference rejects them.
    const flaws = ['-', '_', ' ', '\n', '=', '.', '\0', '\u0141', '\u0100', '\uD800', '\u{1f511}'];
    const pick = (from: string | readonly string[]) => from[Math.floor(next() * from.length)] ?? '';
    for (let i = 0; i < 20_000; i++) {
      const size = 40 + Math.floor(next() * 200);
      let text = randomBytes(size).toString('base64');
      const r = next();
      if (r < 0.3) {
        const at = Math.floor(next() * text.length);
        text = text.slice(0, at) + pick(flaws) + text.slice(at + 1);
      } else if (r < 0.4) {
        text = text.replace(/=+$/, '');
      } else if (r < 0.5) {
        // The last character before the padding with non-zero unused bits: valid, not canonical.
        const body = text.replace(/=+$/, '');
        const last = alphabet.indexOf(body.charAt(body.length - 1)) | 1;
        text = body.slice(0, -1) + alphabet.charAt(last) + text.slice(body.length);
      } else if (r < 0.6) {
        text += pick(['=', '==', 'A', 'AA']);
      } else if (r < 0.7) {
        text = text.slice(0, -1);
      }
      check(text);
    }
  });

  it('decodes into a zero-filled buffer of its own, never a slice of the shared pool', () => {
    for (const size of [1, 16, 64, 1024, 4096]) {
      const bytes = decodeBase64(randomBytes(size).toString('base64'));
      expect(bytes?.length).toBe(size);
      expect(bytes?.byteOffset).toBe(0);
      expect(bytes?.buffer.byteLength).toBe(size);
    }
  });

  it('answers undefined for a long text that only a lenient decoder would read', () => {
    const text = randomBytes(300).toString('base64');
    expect(decodeBase64(text.replaceAll('+', '-').replaceAll('/', '_'))).toBeUndefined();
    expect(decodeBase64(`${text.slice(0, 100)}\u0141${text.slice(101)}`)).toBeUndefined();
    expect(decodeBase64(`${text.slice(0, 100)}=${text.slice(100)}`)).toBeUndefined();
  });
});
