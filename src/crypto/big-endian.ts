// Unsigned big-endian encoding and decoding of integers (SEC 1 v2 §2.3.7, Integer-to-Octet-String), as
// elliptic-curve scalars and coordinates are written. Holds nothing; never logs its input.

/**
 * `value` as exactly `length` bytes, most significant first, zero-padded on the left. The value must
 * be in [0, 256^length): a wider one is not cut to fit.
 */
export function encodeBigEndian(value: bigint, length: number): Buffer {
  return Buffer.from(value.toString(16).padStart(length * 2, '0'), 'hex');
}

/** The unsigned big-endian integer `bytes` hold (Octet-String-to-Integer); 0 for no bytes. */
export function decodeBigEndian(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  const buffer = Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return BigInt(`0x${buffer.toString('hex')}`);
}
