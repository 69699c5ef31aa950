import { createHash, createHmac, randomBytes, randomInt } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { HmacSha256Key, sha256Bytes, sha256Hex } from './sha256.js';

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

/** A string of random UTF-16 code units, lone surrogates included. */
function randomText(length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) {
    const kind = randomInt(4);
    text += String.fromCharCode(
      kind === 0 ? randomInt(0x80) : kind === 1 ? randomInt(0x800) : randomInt(0x10000),
    );
  }
  return text;
}

describe('HmacSha256Key', () => {
  it('matches the RFC 4231 test vectors', () => {
    const cases: [Buffer, string, string][] = [
      [
        Buffer.alloc(20, 0x0b),
        'Hi There',
        'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
      ],
      [
        Buffer.from('Jefe'),
        'what do ya want for nothing?',
        '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
      ],
      [
        Buffer.alloc(131, 0xaa),
        'Test Using Larger Than Block-Size Key - Hash Key First',
        '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
      ],
    ];
    for (const [key, message, expected] of cases)
      expect(new HmacSha256Key(key).hex(message)).toBe(expected);
  });

  it('equals createHmac for random keys and messages, one key reused across messages', () => {
    for (let round = 0; round < 300; round++) {
      const key = randomBytes(randomInt(0, 150));
      const hmac = new HmacSha256Key(key);
      for (let m = 0; m < 5; m++) {
        const message =
          m % 2 === 0 ? randomText(randomInt(0, 400)) : randomBytes(80).toString('latin1');
        expect(hmac.hex(message)).toBe(
          createHmac('sha256', key).update(message, 'utf8').digest('hex'),
        );
      }
    }
  });

  it('keeps working after a message longer than its initial room, and after a short one', () => {
    const key = randomBytes(32);
    const hmac = new HmacSha256Key(key);
    for (const message of ['a'.repeat(5000), 'b', '\u{1f511}'.repeat(3000), '']) {
      expect(hmac.hex(message)).toBe(
        createHmac('sha256', key).update(message, 'utf8').digest('hex'),
      );
    }
  });

  it('leaves the caller key untouched and never prints key material', () => {
    const key = randomBytes(100);
    const copy = Buffer.from(key);
    const hmac = new HmacSha256Key(key);
    expect(key.equals(copy)).toBe(true);
    expect(String(hmac)).toBe('[redacted]');
    expect(JSON.stringify({ hmac })).toBe('{"hmac":"[redacted]"}');
    expect(inspect(hmac)).toBe('HmacSha256Key [redacted]');
  });

  it('computes nothing under the original key once disposed', () => {
    const key = randomBytes(32);
    const hmac = new HmacSha256Key(key);
    hmac.dispose();
    expect(hmac.hex('message')).not.toBe(createHmac('sha256', key).update('message').digest('hex'));
  });
});
