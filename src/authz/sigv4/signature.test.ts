// The constant-time signature comparison: only the exact lower-case hex text matches.
import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { computeSignature, signaturesMatch } from './signature.js';

describe('signaturesMatch', () => {
  const expected = createHmac('sha256', randomBytes(32)).update('string to sign').digest('hex');

  it('accepts the expected signature', () => {
    expect(signaturesMatch(expected, expected)).toBe(true);
    expect(signaturesMatch(expected, (' ' + expected).slice(1))).toBe(true);
  });

  it('rejects any other text: changed, upper-case, short, long, or not hex', () => {
    const others = [
      '',
      expected.slice(0, 63),
      `${expected}0`,
      expected.toUpperCase(),
      `${expected.slice(0, 63)}${expected.at(-1) === '0' ? '1' : '0'}`,
      `${expected.slice(0, 62)}zz`,
      // Code units that share their low byte with a hex digit must not pass for it.
      expected.replace(/[0-9a-f]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x100)),
      expected.replace(/[0-9a-f]/, (c) => String.fromCharCode(c.charCodeAt(0) + 0x100)),
    ];
    for (const other of others) expect(signaturesMatch(expected, other), other).toBe(false);
    for (let i = 0; i < expected.length; i++) {
      const flipped =
        expected.slice(0, i) + (expected[i] === 'a' ? 'b' : 'a') + expected.slice(i + 1);
      expect(signaturesMatch(expected, flipped)).toBe(false);
    }
  });

  it('agrees with computeSignature', () => {
    const key = randomBytes(32);
    const hex = computeSignature(key, 'string to sign').toString('hex');
    expect(
      signaturesMatch(hex, createHmac('sha256', key).update('string to sign').digest('hex')),
    ).toBe(true);
  });
});
