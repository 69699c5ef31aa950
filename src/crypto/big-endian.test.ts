import { describe, expect, it } from 'vitest';
import { encodeBigEndian } from './big-endian.js';

describe('encodeBigEndian', () => {
  it('writes the value most significant byte first, padded with zeros to the length', () => {
    expect(encodeBigEndian(0x0102n, 4).toString('hex')).toBe('00000102');
    expect(encodeBigEndian(0xabcn, 3).toString('hex')).toBe('000abc');
    expect(encodeBigEndian(0n, 2).toString('hex')).toBe('0000');
  });

  it('fills the whole width when the value needs it', () => {
    const max = (1n << 256n) - 1n;
    expect(encodeBigEndian(max, 32)).toEqual(Buffer.alloc(32, 0xff));
    expect(encodeBigEndian(1n << 255n, 32)[0]).toBe(0x80);
  });
});
