// ECDSA over a digest the caller gives (Sign and Verify with MessageType DIGEST), for the curves
// node:crypto knows. node:crypto only signs and verifies messages it hashes itself, so both are
// assembled here (SEC 1 v2 §4.1.3 and §4.1.4):
// the nonce point k·G comes from OpenSSL (createECDH computes it with the library's constant-time
// scalar multiplication), and the arithmetic modulo the group order runs on BigInt with a random blind,
// so that its timing depends on random values only, never on the nonce or the private key alone.
// Never logs keys, nonces or blinds.
import { createECDH, randomFillSync, type ECDH, type KeyObject } from 'node:crypto';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import type { ECDSA } from '@noble/curves/abstract/weierstrass.js';
import { invert, mod } from '@noble/curves/abstract/modular.js';
import { decodeBigEndian, encodeBigEndian } from './big-endian.js';
import { decodeIntegerPair, encodeIntegerPair } from './der.js';

interface Curve {
  /** OpenSSL's name, as createECDH takes it. */
  readonly name: string;
  /** The group order n. */
  readonly n: bigint;
  /** Bits of n. */
  readonly bits: number;
  /** Bytes of a scalar (a private key, a nonce). */
  readonly bytes: number;
}

function curve(name: string, ecdsa: ECDSA): Curve {
  const n = ecdsa.Point.CURVE().n;
  const bits = n.toString(2).length;
  return { name, n, bits, bytes: Math.ceil(bits / 8) };
}

// Group orders as @noble/curves states them (SEC 2: secp256r1 = prime256v1, secp256k1, secp384r1,
// secp521r1); OpenSSL's names are what KeyObject.asymmetricKeyDetails.namedCurve reports.
const CURVES: Readonly<Record<string, Curve>> = {
  prime256v1: curve('prime256v1', p256),
  secp256k1: curve('secp256k1', secp256k1),
  secp384r1: curve('secp384r1', p384),
  secp521r1: curve('secp521r1', p521),
};

/** Whether signDigest can sign with keys on this curve (OpenSSL's curve name). */
export function isDigestSigningCurve(namedCurve: string | undefined): boolean {
  return namedCurve !== undefined && Object.hasOwn(CURVES, namedCurve);
}

/** A uniform scalar in [1, n−1]: 64 bits more than n, reduced (bias below 2⁻⁶⁴). */
function randomScalar(c: Curve): bigint {
  const bytes = Buffer.alloc(c.bytes + 8);
  randomFillSync(bytes);
  const v = decodeBigEndian(bytes);
  bytes.fill(0);
  return mod(v, c.n - 1n) + 1n;
}

/** The digest as an integer (SEC 1 §4.1.3 step 5): its leftmost bits, as many as n has. */
export function digestInteger(digest: Buffer, bits: number): bigint {
  const e = decodeBigEndian(digest);
  const excess = digest.length * 8 - bits;
  return excess > 0 ? e >> BigInt(excess) : e;
}

/**
 * Private scalars by key, read once per KeyObject (the cache of loaded keys keeps one per key) rather
 * than exported on every signature, which alone cost more than the signature. The scalar lives in this
 * process's memory as long as its KeyObject, as the KeyObject's own copy does.
 */
const scalars = new WeakMap<KeyObject, bigint>();

function privateScalar(privateKey: KeyObject): bigint {
  let d = scalars.get(privateKey);
  if (d === undefined) {
    const jwk = privateKey.export({ format: 'jwk' });
    if (typeof jwk.d !== 'string') throw new Error('not an EC private key');
    const bytes = Buffer.from(jwk.d, 'base64url');
    d = decodeBigEndian(bytes);
    bytes.fill(0);
    scalars.set(privateKey, d);
  }
  return d;
}

/** One ECDH object per curve computes the points k·G (making one costs a sixth of a signature). */
const pointMakers: Record<string, ECDH> = {};

/** The x-coordinate of k·G, from OpenSSL; k in [1, n−1]. */
function baseMultipleX(c: Curve, k: bigint): bigint {
  const ecdh = (pointMakers[c.name] ??= createECDH(c.name));
  const kBytes = encodeBigEndian(k, c.bytes);
  ecdh.setPrivateKey(kBytes);
  kBytes.fill(0);
  // Uncompressed point: 0x04 ‖ x ‖ y, each coordinate as long as the field.
  const point = ecdh.getPublicKey();
  const fieldBytes = (point.length - 1) / 2;
  return decodeBigEndian(point.subarray(1, 1 + fieldBytes));
}

function curveOfPrivateKey(privateKey: KeyObject): Curve {
  const c = CURVES[privateKey.asymmetricKeyDetails?.namedCurve ?? ''];
  if (privateKey.type !== 'private' || c === undefined) throw new Error('not an ECDSA private key');
  return c;
}

/**
 * The DER ECDSA signature (SEQUENCE { r, s }) of `digest` under an EC private key on P-256, P-384,
 * P-521 or secp256k1, with a fresh random nonce. The digest is used as given, never hashed again.
 */
export function signDigest(privateKey: KeyObject, digest: Buffer): Buffer {
  const c = curveOfPrivateKey(privateKey);
  const d = privateScalar(privateKey);
  const e = mod(digestInteger(digest, c.bits), c.n);
  for (;;) {
    const k = randomScalar(c);
    const r = mod(baseMultipleX(c, k), c.n);
    if (r === 0n) continue;
    // s = k⁻¹(e + r·d) = (k·b)⁻¹ · (b·e + b·r·d) with a random blind b: the inversion and the
    // products see blinded values only.
    const b = randomScalar(c);
    const kbInverse = invert(mod(k * b, c.n), c.n);
    const s = mod(kbInverse * mod(mod(b * e, c.n) + mod(mod(b * r, c.n) * d, c.n), c.n), c.n);
    if (s === 0n) continue;
    return encodeIntegerPair(r, s);
  }
}

/**
 * Whether `signature` (DER SEQUENCE { r, s }) is an ECDSA signature of `digest`, used as given, by
 * the key pair of `privateKey` (SEC 1 v2 §4.1.4). Having the private scalar d, the point
 * u1·G + u2·Q is computed as (u1 + u2·d)·G: one multiplication by OpenSSL instead of two on BigInt.
 * d meets only the product of u2 and a random blind. An encoding other than DER's one canonical
 * form (a needless leading zero, a negative integer, trailing bytes) is refused, as OpenSSL does.
 */
export function verifyDigest(privateKey: KeyObject, digest: Buffer, signature: Buffer): boolean {
  const c = curveOfPrivateKey(privateKey);
  let r: bigint;
  let s: bigint;
  try {
    ({ r, s } = decodeIntegerPair(signature));
  } catch {
    return false;
  }
  if (r < 1n || r >= c.n || s < 1n || s >= c.n) return false;
  if (!encodeIntegerPair(r, s).equals(signature)) return false;
  const d = privateScalar(privateKey);
  const e = mod(digestInteger(digest, c.bits), c.n);
  const w = invert(s, c.n);
  const u1 = mod(e * w, c.n);
  const u2 = mod(r * w, c.n);
  // u1 + u2·d = u1 + b⁻¹·((b·u2)·d) with a random blind b.
  const b = randomScalar(c);
  const k = mod(u1 + invert(b, c.n) * mod(mod(b * u2, c.n) * d, c.n), c.n);
  // k = 0: the sum is the point at infinity, which no signature names.
  if (k === 0n) return false;
  return mod(baseMultipleX(c, k), c.n) === r;
}
