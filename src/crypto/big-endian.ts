// Fixed-width unsigned big-endian encoding of integers (SEC 1 v2 §2.3.7, Integer-to-Octet-String), as
// elliptic-curve scalars and coordinates are written. Holds nothing; never logs its input.

/**
 * `value` as exactly `length` bytes, most significant first, zero-padded on the left. The value must
 * be in [0, 256^length): a wider one is not cut to fit.
 */
export function encodeBigEndian(value: bigint, length: number): Buffer {
  return Buffer.from(value.toString(16).padStart(length * 2, '0'), 'hex');
}
