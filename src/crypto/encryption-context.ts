// Canonical bytes of an encryption context, bound into ciphertexts as additional authenticated data.
// Pairs are sorted by the UTF-8 bytes of their keys; each key and value is length-prefixed (uint16).

export type EncryptionContext = Readonly<Record<string, string>>;

export function canonicalEncryptionContext(context: EncryptionContext | undefined): Buffer {
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
