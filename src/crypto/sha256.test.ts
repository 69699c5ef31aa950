import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Bytes, sha256Hex } from './sha256.js';

describe('sha256', () => {
  it('matches the FIPS 180-2 test vectors', () => {
    expect(sha256Hex('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('hashes strings as UTF-8 and bytes as given, like createHash', () => {
    for (const text of ['', 'é', '\u{1f511} key', 'x'.repeat(5000), '\ud800']) {
      const expected = createHash('sha256').update(text, 'utf8').digest();
      expect(sha256Bytes(text).equals(expected)).toBe(true);
      expect(sha256Hex(text)).toBe(expected.toString('hex'));
      const bytes = Buffer.from(text, 'utf8');
      expect(sha256Bytes(bytes).equals(expected)).toBe(true);
    }
  });
});
