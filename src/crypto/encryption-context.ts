// Canonical bytes of an encryption context, bound into ciphertexts as additional authenticated data.
// Pairs are sorted by the UTF-8 bytes of their keys; each key and value is length-prefixed (uint16).
// Every ciphertext ever made was bound to these bytes: they must never change.

export type EncryptionContext = Readonly<Record<string, string>>;

/** A UTF-16 surrogate: where code unit order and UTF-8 byte order can disagree. */
const SURROGATE = /[\uD800-\uDFFF]/;

const NO_PREFIX = Buffer.alloc(0);

export function canonicalEncryptionContext(context: EncryptionContext | undefined): Buffer {
  return encode(NO_PREFIX, 0, context);
}

/**
 * The first `length` bytes of `source` followed by the canonical bytes of `context`, in one buffer:
 * the AAD of a ciphertext blob is its header and then the context, built here without an
 * intermediate copy.
 */
export function prefixedEncryptionContext(
  source: Buffer,
  length: number,
  context: EncryptionContext | undefined,
): Buffer {
  if (source.length < length) throw new RangeError('the prefix is longer than its source');
  return encode(source, length, context);
}

/** A buffer of `size` bytes after the first `prefixLength` bytes of `prefix`, copied in. */
function withPrefix(prefix: Buffer, prefixLength: number, size: number): Buffer {
  // Every byte after the prefix is written by the caller (checked by `finish`), so no zero fill.
  const out = Buffer.allocUnsafe(prefixLength + size);
  prefix.copy(out, 0, 0, prefixLength);
  return out;
}

/** Guards the unfilled allocation: the bytes written must be exactly the bytes counted. */
function finish(out: Buffer, at: number): Buffer {
  if (at !== out.length) throw new Error('encryption context encoding miscounted its length');
  return out;
}

/** Strings up to this length are measured and copied in JavaScript when they are ASCII: cheaper than
 *  a call into the runtime for the short keys and values contexts are made of. */
const SHORT = 64;

/** UTF-8 length of `s`. */
function utf8Length(s: string): number {
  const n = s.length;
  if (n <= SHORT) {
    let i = 0;
    while (i < n && s.charCodeAt(i) < 0x80) i++;
    if (i === n) return n;
  }
  return Buffer.byteLength(s, 'utf8');
}

/** Writes `s` as UTF-8 at `at` (the buffer has room for all of it); returns the bytes written. */
function writeUtf8(out: Buffer, at: number, s: string): number {
  const n = s.length;
  if (n <= SHORT) {
    let i = 0;
    for (let c = 0; i < n && (c = s.charCodeAt(i)) < 0x80; i++) out[at + i] = c;
    if (i === n) return n;
  }
  return out.write(s, at, 'utf8');
}

/** Sorts distinct strings by code unit, as Array.prototype.sort does: by insertion when there are
 *  few (contexts mostly have a handful of keys), which skips the set-up of the built-in sort. */
function sortKeys(keys: string[]): void {
  if (keys.length > 8) {
    keys.sort();
    return;
  }
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i] as string;
    let j = i - 1;
    for (; j >= 0 && (keys[j] as string) > k; j--) keys[j + 1] = keys[j] as string;
    keys[j + 1] = k;
  }
}

/** Writes a length prefix; RangeError past 65535, as writeUInt16BE always did. */
function writeLength(out: Buffer, at: number, length: number): number {
  if (length > 0xffff) return out.writeUInt16BE(length, at);
  out[at] = length >>> 8;
  out[at + 1] = length & 0xff;
  return at + 2;
}

function encode(
  prefix: Buffer,
  prefixLength: number,
  context: EncryptionContext | undefined,
): Buffer {
  if (!context)
    return finish(withPrefix(prefix, prefixLength, 2).fill(0, prefixLength), prefixLength + 2);
  const keys = Object.keys(context);
  // Without surrogates, code unit order is code point order, which is UTF-8 byte order: the keys
  // sort as strings and are written straight into one buffer. Anything else takes the general path.
  let size = 2;
  for (const k of keys) {
    const v = context[k];
    if (typeof v !== 'string') return bytewiseCanonical(prefix, prefixLength, context);
    const keyLength = utf8Length(k);
    // An ASCII key (as long as its UTF-8) has no surrogate.
    if (keyLength !== k.length && SURROGATE.test(k))
      return bytewiseCanonical(prefix, prefixLength, context);
    size += 4 + keyLength + utf8Length(v);
  }
  sortKeys(keys);
  const out = withPrefix(prefix, prefixLength, size);
  let at = writeLength(out, prefixLength, keys.length);
  for (const k of keys) {
    const v = context[k] as string;
    const keyLength = writeUtf8(out, at + 2, k);
    at = writeLength(out, at, keyLength) + keyLength;
    const valueLength = writeUtf8(out, at + 2, v);
    at = writeLength(out, at, valueLength) + valueLength;
  }
  return finish(out, at);
}

/** The definition: each key and value encoded, pairs sorted by the bytes of their keys. */
function bytewiseCanonical(
  prefix: Buffer,
  prefixLength: number,
  context: EncryptionContext,
): Buffer {
  const pairs = Object.entries(context).map(
    ([k, v]) => [Buffer.from(k, 'utf8'), Buffer.from(v, 'utf8')] as const,
  );
  pairs.sort((a, b) => Buffer.compare(a[0], b[0]));
  let size = 2;
  for (const [k, v] of pairs) size += 4 + k.length + v.length;
  const out = withPrefix(prefix, prefixLength, size);
  let at = out.writeUInt16BE(pairs.length, prefixLength);
  for (const [k, v] of pairs) {
    at = out.writeUInt16BE(k.length, at);
    at += k.copy(out, at);
    at = out.writeUInt16BE(v.length, at);
    at += v.copy(out, at);
  }
  return finish(out, at);
}
