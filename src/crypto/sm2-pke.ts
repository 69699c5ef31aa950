// SM2 public-key encryption (GB/T 32918.4, SM2PKE) with SM3, in the ASN.1 form OpenSSL and GM/T 0009 use:
// SEQUENCE { INTEGER x1, INTEGER y1, OCTET STRING C3 (hash), OCTET STRING C2 (ciphertext) }.
// Every decryption failure is one plain Error. Never logs keys or plaintext.
import { timingSafeEqual, type KeyObject } from 'node:crypto';
import { decodeBigEndian, encodeBigEndian } from './big-endian.js';
import { encodeTlv, readChildren, readTlv } from './der.js';
import {
  randomScalar,
  SM2_BYTES,
  sm2PrivateScalar,
  sm2PublicPoint,
  sm3,
  Sm2Point,
  type Sm2PointType,
} from './sm2.js';

function kdf(z: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  let filled = 0;
  for (let ct = 1; filled < length; ct++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(ct);
    filled += sm3(z, c).copy(out, filled);
  }
  return out;
}

function xorInto(target: Buffer, mask: Buffer): void {
  for (let i = 0; i < target.length; i++) target[i] = (target[i] ?? 0) ^ (mask[i] ?? 0);
}

function integer(v: bigint): Buffer {
  let bytes = encodeBigEndian(v, SM2_BYTES);
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0 && ((bytes[i + 1] ?? 0) & 0x80) === 0) i++;
  bytes = bytes.subarray(i);
  if ((bytes[0] ?? 0) & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return encodeTlv(0x02, bytes);
}

function shared(point: Sm2PointType, length: number): { x2: Buffer; y2: Buffer; t: Buffer } {
  const { x, y } = point.toAffine();
  const x2 = encodeBigEndian(x, SM2_BYTES);
  const y2 = encodeBigEndian(y, SM2_BYTES);
  return { x2, y2, t: kdf(Buffer.concat([x2, y2]), length) };
}

export function sm2Encrypt(publicKey: KeyObject, plaintext: Buffer): Buffer {
  const pb = sm2PublicPoint(publicKey);
  for (;;) {
    const k = randomScalar();
    const c1 = Sm2Point.BASE.multiply(k).toAffine();
    const { x2, y2, t } = shared(pb.multiply(k), plaintext.length);
    if (t.every((b) => b === 0)) continue;
    const c2 = Buffer.from(plaintext);
    xorInto(c2, t);
    const c3 = sm3(x2, plaintext, y2);
    const body = [integer(c1.x), integer(c1.y), encodeTlv(0x04, c3), encodeTlv(0x04, c2)];
    return encodeTlv(0x30, Buffer.concat(body));
  }
}

export function sm2Decrypt(privateKey: KeyObject, ciphertext: Buffer): Buffer {
  const seq = readTlv(ciphertext);
  if (seq.tag !== 0x30 || seq.end !== ciphertext.length) throw new Error('SM2: bad ciphertext');
  const [x1, y1, c3, c2] = readChildren(seq.value);
  if (x1?.tag !== 2 || y1?.tag !== 2 || c3?.tag !== 4 || c2?.tag !== 4 || c3.value.length !== 32) {
    throw new Error('SM2: bad ciphertext');
  }
  const c1 = Sm2Point.fromAffine({
    x: decodeBigEndian(x1.value),
    y: decodeBigEndian(y1.value),
  });
  c1.assertValidity();
  const { x2, y2, t } = shared(c1.multiply(sm2PrivateScalar(privateKey)), c2.value.length);
  if (t.every((b) => b === 0)) throw new Error('SM2: bad ciphertext');
  const plaintext = Buffer.alloc(c2.value.length);
  c2.value.copy(plaintext);
  xorInto(plaintext, t);
  if (!timingSafeEqual(sm3(x2, plaintext, y2), c3.value)) {
    plaintext.fill(0);
    throw new Error('SM2: bad ciphertext');
  }
  return plaintext;
}
