// SM2 digital signatures (GB/T 32918.2, SM2DSA with SM3 and the default distinguishing ID
// 1234567812345678, as AWS KMS uses). node:crypto only offers plain ECDSA on the SM2 curve, so the
// scheme is written here over @noble/curves' point arithmetic. Never logs keys.
import { createHash, randomBytes, type KeyObject } from 'node:crypto';
import { weierstrass } from '@noble/curves/abstract/weierstrass.js';
import { invert, mod } from '@noble/curves/abstract/modular.js';
import { decodeBigEndian, encodeBigEndian } from './big-endian.js';
import {
  decodeIntegerPair,
  ecPrivateScalar,
  encodeIntegerPair,
  readChildren,
  readTlv,
  spkiPublicKey,
} from './der.js';

const hex = (s: string) => BigInt(`0x${s}`);
export const SM2_CURVE = {
  p: hex('FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF'),
  a: hex('FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC'),
  b: hex('28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93'),
  n: hex('FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123'),
  Gx: hex('32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7'),
  Gy: hex('BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0'),
  h: 1n,
};
export const Sm2Point = weierstrass(SM2_CURVE);
export type Sm2PointType = InstanceType<typeof Sm2Point>;

export const SM2_DEFAULT_ID = Buffer.from('1234567812345678', 'ascii');

/** Bytes of an SM2 field element or scalar (a 256-bit curve). */
export const SM2_BYTES = 32;

export function sm3(...parts: Buffer[]): Buffer {
  const h = createHash('sm3');
  for (const p of parts) h.update(p);
  return h.digest();
}

/** A uniformly random scalar in [1, n−1]. */
export function randomScalar(): bigint {
  for (;;) {
    const k = decodeBigEndian(randomBytes(32));
    if (k > 0n && k < SM2_CURVE.n) return k;
  }
}

// Public values only: the point and Z_A of a key, remembered per KeyObject.
const points = new WeakMap<KeyObject, Sm2PointType>();
const zas = new WeakMap<KeyObject, Buffer>();

export function sm2PublicPoint(publicKey: KeyObject): Sm2PointType {
  let point = points.get(publicKey);
  if (!point) {
    point = Sm2Point.fromBytes(spkiPublicKey(publicKey.export({ format: 'der', type: 'spki' })));
    points.set(publicKey, point);
  }
  return point;
}

export function sm2PrivateScalar(privateKey: KeyObject): bigint {
  const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
  try {
    return decodeBigEndian(ecPrivateScalar(pkcs8));
  } finally {
    pkcs8.fill(0);
  }
}

/** Z_A = SM3(ENTL ‖ ID ‖ a ‖ b ‖ Gx ‖ Gy ‖ xA ‖ yA) (GB/T 32918.2 §5.5). */
export function sm2Za(publicPoint: Sm2PointType, id: Buffer = SM2_DEFAULT_ID): Buffer {
  const entl = Buffer.alloc(2);
  entl.writeUInt16BE(id.length * 8);
  const { a, b, Gx, Gy } = SM2_CURVE;
  const { x, y } = publicPoint.toAffine();
  const fields = [a, b, Gx, Gy, x, y].map((v) => encodeBigEndian(v, SM2_BYTES));
  return sm3(entl, id, ...fields);
}

/** e for a RAW message (SM3(Z_A ‖ M)) or the caller's DIGEST as given. */
export function sm2MessageDigest(publicKey: KeyObject, message: Buffer, isDigest: boolean): Buffer {
  if (isDigest) return message;
  let za = zas.get(publicKey);
  if (!za) {
    za = sm2Za(sm2PublicPoint(publicKey));
    zas.set(publicKey, za);
  }
  return sm3(za, message);
}

export function sm2Sign(privateKey: KeyObject, e: Buffer): Buffer {
  const { n } = SM2_CURVE;
  const d = sm2PrivateScalar(privateKey);
  const ev = decodeBigEndian(e);
  for (;;) {
    const k = randomScalar();
    const x1 = Sm2Point.BASE.multiply(k).toAffine().x;
    const r = mod(ev + x1, n);
    if (r === 0n || r + k === n) continue;
    const s = mod(invert(1n + d, n) * (k - r * d), n);
    if (s !== 0n) return encodeIntegerPair(r, s);
  }
}

export function sm2Verify(publicKey: KeyObject, e: Buffer, signature: Buffer): boolean {
  const { n } = SM2_CURVE;
  try {
    const { r, s } = decodeIntegerPair(signature);
    if (r < 1n || r >= n || s < 1n || s >= n) return false;
    const t = mod(r + s, n);
    if (t === 0n) return false;
    const point = Sm2Point.BASE.multiply(s).add(sm2PublicPoint(publicKey).multiply(t));
    const ev = decodeBigEndian(e);
    return mod(ev + point.toAffine().x, n) === r;
  } catch {
    return false;
  }
}

// id-ecPublicKey and the SM2 curve OID (1.2.156.10197.1.301), as DER value bytes.
const EC_PUBLIC_KEY_OID = '2a8648ce3d0201';
const SM2_CURVE_OID = '2a811ccf5501822d';

/**
 * ECDH on the SM2 curve (x-coordinate of d·Q), for SM2 KEY_AGREEMENT keys: node:crypto cannot use SM2
 * keys loaded from DER. Returns undefined when the peer SPKI is not a valid point on the SM2 curve.
 */
export function sm2SharedSecret(privateKey: KeyObject, peerSpki: Buffer): Buffer | undefined {
  try {
    const [algorithm] = readChildren(readTlv(peerSpki).value);
    const [oid, curve] = readChildren(algorithm?.value ?? Buffer.alloc(0));
    if (oid?.value.toString('hex') !== EC_PUBLIC_KEY_OID) return undefined;
    if (curve?.value.toString('hex') !== SM2_CURVE_OID) return undefined;
    const peer = Sm2Point.fromBytes(spkiPublicKey(peerSpki));
    peer.assertValidity();
    return encodeBigEndian(peer.multiply(sm2PrivateScalar(privateKey)).toAffine().x, SM2_BYTES);
  } catch {
    return undefined;
  }
}
