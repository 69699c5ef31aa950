import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { decodeBigEndian, encodeBigEndian } from './big-endian.js';

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

describe('decodeBigEndian', () => {
  it('reads the bytes most significant first, leading zeros and all', () => {
    expect(decodeBigEndian(Buffer.from('00000102', 'hex'))).toBe(0x0102n);
    expect(decodeBigEndian(Buffer.from('ff', 'hex'))).toBe(255n);
    expect(decodeBigEndian(Buffer.alloc(0))).toBe(0n);
    expect(decodeBigEndian(Buffer.alloc(32, 0xff))).toBe((1n << 256n) - 1n);
  });

  it('reads a view into a larger buffer, and a plain Uint8Array, by their own bytes only', () => {
    const whole = Buffer.from('aabbccdd', 'hex');
    expect(decodeBigEndian(whole.subarray(1, 3))).toBe(0xbbccn);
    expect(decodeBigEndian(new Uint8Array([1, 0]))).toBe(256n);
  });

  it('undoes encodeBigEndian', () => {
    for (let i = 0; i < 20; i++) {
      const bytes = randomBytes(1 + i * 3);
      expect(encodeBigEndian(decodeBigEndian(bytes), bytes.length)).toEqual(bytes);
    }
  });
});
