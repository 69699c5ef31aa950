// Canonical bytes of an encryption context, bound into ciphertexts as additional authenticated data.
// Pairs are sorted by the UTF-8 bytes of their keys; each key and value is length-prefixed (uint16).
// Every ciphertext ever made was bound to these bytes: they must never change.

export type EncryptionContext = Readonly<Record<string, string>>;

/** A UTF-16 surrogate: where code unit order and UTF-8 byte order can disagree. */
const SURROGATE = /[\uD800-\uDFFF]/;

export function canonicalEncryptionContext(context: EncryptionContext | undefined): Buffer {
  if (!context) return Buffer.alloc(2);
  const keys = Object.keys(context);
  // Without surrogates, code unit order is code point order, which is UTF-8 byte order: the keys
  // sort as strings and are written straight into one buffer. Anything else takes the general path.
  let size = 2;
  for (const k of keys) {
    const v = context[k];
    if (typeof v !== 'string' || SURROGATE.test(k)) return bytewiseCanonical(context);
    size += 4 + Buffer.byteLength(k, 'utf8') + Buffer.byteLength(v, 'utf8');
  }
  keys.sort();
  const out = Buffer.alloc(size);
  let at = out.writeUInt16BE(keys.length, 0);
  for (const k of keys) {
    const v = context[k] as string;
    const keyAt = at + 2;
    const keyLength = out.write(k, keyAt, 'utf8');
    out.writeUInt16BE(keyLength, at);
    at = keyAt + keyLength;
    const valueLength = out.write(v, at + 2, 'utf8');
    out.writeUInt16BE(valueLength, at);
    at += 2 + valueLength;
  }
  return out;
}

/** The definition: each key and value encoded, pairs sorted by the bytes of their keys. */
function bytewiseCanonical(context: EncryptionContext): Buffer {
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
