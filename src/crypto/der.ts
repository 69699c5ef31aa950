// The few DER structures asymmetric keys need: reading PKCS#8 and SubjectPublicKeyInfo, writing an SPKI
// for algorithms Node cannot encode (ML-DSA, ML-KEM) and ECDSA-style INTEGER pairs. Never logs its input.
import { decodeBigEndian } from './big-endian.js';

export interface Tlv {
  readonly tag: number;
  /** The value bytes (a view into the input). */
  readonly value: Buffer;
  /** Offset just after this element. */
  readonly end: number;
}

/** Reads one DER element at `offset`; throws a plain Error on malformed input. */
export function readTlv(der: Buffer, offset = 0): Tlv {
  const tag = der[offset];
  let len = der[offset + 1];
  if (tag === undefined || len === undefined) throw new Error('DER: truncated');
  let pos = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 3) throw new Error('DER: bad length');
    len = 0;
    for (let i = 0; i < n; i++) {
      const b = der[pos++];
      if (b === undefined) throw new Error('DER: truncated');
      len = len * 256 + b;
    }
  }
  const end = pos + len;
  if (end > der.length) throw new Error('DER: truncated');
  return { tag, value: der.subarray(pos, end), end };
}

/** The elements of a constructed value, in order. */
export function readChildren(value: Buffer): Tlv[] {
  const out: Tlv[] = [];
  let pos = 0;
  while (pos < value.length) {
    const t = readTlv(value, pos);
    out.push(t);
    pos = t.end;
  }
  return out;
}

function child(list: Tlv[], index: number, tag: number): Buffer {
  const t = list[index];
  if (t?.tag !== tag) throw new Error('DER: unexpected structure');
  return t.value;
}

/** The privateKey OCTET STRING contents of a PKCS#8 PrivateKeyInfo (RFC 5958). */
export function pkcs8PrivateKey(pkcs8: Buffer): Buffer {
  return child(readChildren(readTlv(pkcs8).value), 2, 0x04);
}

/** The secret scalar of an EC PKCS#8 key (RFC 5915 ECPrivateKey inside). */
export function ecPrivateScalar(pkcs8: Buffer): Buffer {
  return child(readChildren(readTlv(pkcs8PrivateKey(pkcs8)).value), 1, 0x04);
}

/** The 32-byte seed of an Ed25519 PKCS#8 key (RFC 8410: CurvePrivateKey is an OCTET STRING). */
export function ed25519Seed(pkcs8: Buffer): Buffer {
  const inner = readTlv(pkcs8PrivateKey(pkcs8));
  if (inner.tag !== 0x04 || inner.value.length !== 32) throw new Error('DER: not an Ed25519 key');
  return inner.value;
}

/** The subjectPublicKey bits of a SubjectPublicKeyInfo (RFC 5280), without the unused-bits byte. */
export function spkiPublicKey(spki: Buffer): Buffer {
  const bits = child(readChildren(readTlv(spki).value), 1, 0x03);
  if (bits[0] !== 0) throw new Error('DER: unused bits in public key');
  return bits.subarray(1);
}

/** The algorithm OID (DER value bytes, hex) of a SubjectPublicKeyInfo. */
export function spkiAlgorithmOid(spki: Buffer): string {
  const algorithm = readChildren(child(readChildren(readTlv(spki).value), 0, 0x30));
  return child(algorithm, 0, 0x06).toString('hex');
}

function encodeLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function encodeTlv(tag: number, value: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), encodeLength(value.length), value]);
}

/** SubjectPublicKeyInfo with an absent-parameters AlgorithmIdentifier (as ML-DSA and ML-KEM use). */
export function encodeSpki(oidHex: string, publicKey: Uint8Array): Buffer {
  const algorithm = encodeTlv(0x30, encodeTlv(0x06, Buffer.from(oidHex, 'hex')));
  const bits = encodeTlv(0x03, Buffer.concat([Buffer.from([0]), publicKey]));
  return encodeTlv(0x30, Buffer.concat([algorithm, bits]));
}

function encodeInteger(v: bigint): Buffer {
  let hex = v.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let bytes = Buffer.from(hex, 'hex');
  if ((bytes[0] ?? 0) & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return encodeTlv(0x02, bytes);
}

/** SEQUENCE { INTEGER r, INTEGER s }: the ECDSA/SM2 signature encoding (RFC 3279). */
export function encodeIntegerPair(r: bigint, s: bigint): Buffer {
  return encodeTlv(0x30, Buffer.concat([encodeInteger(r), encodeInteger(s)]));
}

/** Parses SEQUENCE { INTEGER r, INTEGER s } strictly (no trailing bytes). */
export function decodeIntegerPair(der: Buffer): { r: bigint; s: bigint } {
  const seq = readTlv(der);
  if (seq.tag !== 0x30 || seq.end !== der.length) throw new Error('DER: not a signature');
  const items = readChildren(seq.value);
  if (items.length !== 2) throw new Error('DER: not a signature');
  const r = child(items, 0, 0x02);
  const s = child(items, 1, 0x02);
  return { r: decodeBigEndian(r), s: decodeBigEndian(s) };
}
