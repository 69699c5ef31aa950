import { describe, expect, it } from 'vitest';
import {
  canonicalEncryptionContext,
  prefixedEncryptionContext,
  type EncryptionContext,
} from './encryption-context.js';
import { seededRandom } from '../../test/fakes/seeded-random.js';

// The definition the bytes were first made by; every existing ciphertext is bound to its output.
function reference(context: EncryptionContext | undefined): Buffer {
  if (!context) return Buffer.alloc(2);
  const pairs = Object.entries(context).map(
    ([k, v]) => [Buffer.from(k, 'utf8'), Buffer.from(v, 'utf8')] as const,
  );
  pairs.sort((a, b) => Buffer.compare(a[0], b[0]));
  let size = 2;
  for (const [k, v] of pairs) size += 4 + k.length + v.length;
  const out = Buffer.alloc(size);
  let at = out.writeUInt16BE(pairs.length, 0);
  for (const [k, v] of pairs) {
    at = out.writeUInt16BE(k.length, at);
    at += k.copy(out, at);
    at = out.writeUInt16BE(v.length, at);
    at += v.copy(out, at);
  }
  return out;
}

// Pieces whose code unit order and byte order differ (surrogate pairs against U+E000–U+FFFF), lone
// surrogates (encoded as U+FFFD, so two keys can encode alike), digits (array-index keys) and ASCII.
const PIECES = ['a', 'B', 'z', '0', '7', '10', '-', ' ', 'é', '€', '\uffff', '\ue000', '\u{1f511}'];
const ODD = ['\ud800', '\udc00', '\ud83d', '\u{10000}'];

function randomText(next: () => number, pieces: readonly string[]): string {
  let s = '';
  const length = Math.floor(next() * 4);
  for (let i = 0; i < length; i++) s += pieces[Math.floor(next() * pieces.length)] ?? '';
  return s;
}

describe('canonicalEncryptionContext', () => {
  it('gives the known bytes for a known context', () => {
    const context = {
      tenant: 'tenant-0001',
      purpose: 'benchmark',
      clé: 'valeur ✓',
      '🔑': 'k',
      Z: '',
    };
    expect(canonicalEncryptionContext(context).toString('hex')).toBe(
      '000500015a00000004636cc3a9000a76616c65757220e29c930007707572706f7365000962656e63686d61726b' +
        '000674656e616e74000b74656e616e742d303030310004f09f949100016b',
    );
    expect(canonicalEncryptionContext(undefined).toString('hex')).toBe('0000');
    expect(canonicalEncryptionContext({}).toString('hex')).toBe('0000');
  });

  it('agrees with the byte-sorting definition on 20,000 random contexts', () => {
    const next = seededRandom(1234);
    for (let i = 0; i < 20_000; i++) {
      const context: Record<string, string> = {};
      const withOdd = next() < 0.2;
      const pairs = Math.floor(next() * 6);
      for (let j = 0; j < pairs; j++) {
        const key = randomText(next, withOdd ? [...PIECES, ...ODD] : PIECES);
        context[key] = randomText(next, [...PIECES, ...ODD]);
      }
      const expected = reference(context).toString('hex');
      const actual = canonicalEncryptionContext(context).toString('hex');
      if (actual !== expected) expect.fail(`disagrees on ${JSON.stringify(context)}`);
    }
  });

  it('orders a key beyond U+FFFF after one in U+E000–U+FFFF, as UTF-8 bytes do', () => {
    const context = { '\u{1f511}': 'a', '\uffff': 'b', '\ue000': 'c' };
    expect(canonicalEncryptionContext(context).equals(reference(context))).toBe(true);
  });

  it('refuses a key longer than its 16-bit length prefix, as before', () => {
    const context = { ['k'.repeat(70_000)]: 'v' };
    expect(() => reference(context)).toThrow(RangeError);
    expect(() => canonicalEncryptionContext(context)).toThrow(RangeError);
  });

  it('agrees with the definition on keys and values of every length around the short-string path', () => {
    const next = seededRandom(99);
    for (const length of [0, 1, 63, 64, 65, 200, 5000]) {
      for (const piece of ['a', 'é', '\u{1f511}', '\ud800']) {
        const context: Record<string, string> = {};
        for (let j = 0; j < 3; j++) {
          const text = Array.from({ length }, (_, i) =>
            i === Math.floor(next() * length) ? piece : String.fromCharCode(97 + (i % 26)),
          ).join('');
          context[`${String(j)}${text}`] = `${text}${piece}`;
        }
        const expected = reference(context).toString('hex');
        if (canonicalEncryptionContext(context).toString('hex') !== expected)
          expect.fail(`disagrees at length ${String(length)} with ${JSON.stringify(piece)}`);
      }
    }
  });

  it('sorts few keys and many keys alike', () => {
    const next = seededRandom(7);
    for (const count of [2, 8, 9, 30]) {
      const context: Record<string, string> = {};
      for (let j = 0; j < count; j++) context[randomText(next, PIECES) + String(j)] = String(j);
      expect(canonicalEncryptionContext(context).equals(reference(context))).toBe(true);
    }
  });
});

describe('prefixedEncryptionContext', () => {
  it('puts the first bytes of the source before the canonical bytes', () => {
    const source = Buffer.from('0102030405ffff', 'hex');
    for (const context of [undefined, {}, { b: '2', a: '1' }, { '\u{1f511}': 'k', z: 'é' }]) {
      const expected = Buffer.concat([source.subarray(0, 5), reference(context)]);
      expect(prefixedEncryptionContext(source, 5, context).equals(expected)).toBe(true);
    }
    expect(prefixedEncryptionContext(source, 0, { a: 'b' }).equals(reference({ a: 'b' }))).toBe(
      true,
    );
  });

  it('refuses a prefix longer than its source', () => {
    expect(() => prefixedEncryptionContext(Buffer.alloc(3), 4, undefined)).toThrow(RangeError);
  });
});
