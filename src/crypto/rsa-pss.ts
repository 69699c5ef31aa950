// EMSA-PSS encoding and verification (RFC 8017 §9.1) for signing a digest the caller already computed,
// which node:crypto cannot do. The salt is as long as the digest, as AWS KMS uses.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { HashName } from './algorithms.js';

function mgf1(hash: HashName, seed: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  let filled = 0;
  for (let counter = 0; filled < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    const block = createHash(hash).update(seed).update(c).digest();
    filled += block.copy(out, filled);
  }
  return out;
}

function hashOfPrefixed(hash: HashName, mHash: Buffer, salt: Buffer): Buffer {
  return createHash(hash).update(Buffer.alloc(8)).update(mHash).update(salt).digest();
}

/** EM for a modulus of `modulusBits` (emBits = modulusBits − 1), returned left-padded to the modulus length. */
export function pssEncode(hash: HashName, mHash: Buffer, modulusBits: number): Buffer {
  const hLen = mHash.length;
  const emBits = modulusBits - 1;
  const emLen = Math.ceil(emBits / 8);
  const salt = randomBytes(hLen);
  const h = hashOfPrefixed(hash, mHash, salt);
  const db = Buffer.alloc(emLen - hLen - 1);
  db[db.length - hLen - 1] = 0x01;
  salt.copy(db, db.length - hLen);
  const mask = mgf1(hash, h, db.length);
  for (let i = 0; i < db.length; i++) db[i] = (db[i] ?? 0) ^ (mask[i] ?? 0);
  db[0] = (db[0] ?? 0) & (0xff >> (8 * emLen - emBits));
  const em = Buffer.concat([db, h, Buffer.from([0xbc])]);
  const k = Math.ceil(modulusBits / 8);
  return k === emLen ? em : Buffer.concat([Buffer.alloc(k - emLen), em]);
}

/** Checks an EM recovered from a signature (modulus length) against the digest; salt length = digest length. */
export function pssVerify(
  hash: HashName,
  mHash: Buffer,
  recovered: Buffer,
  modulusBits: number,
): boolean {
  const hLen = mHash.length;
  const emBits = modulusBits - 1;
  const emLen = Math.ceil(emBits / 8);
  const lead = recovered.subarray(0, recovered.length - emLen);
  if (lead.some((b) => b !== 0)) return false;
  const em = recovered.subarray(recovered.length - emLen);
  if (emLen < 2 * hLen + 2 || em[emLen - 1] !== 0xbc) return false;
  const masked = em.subarray(0, emLen - hLen - 1);
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  if (((masked[0] ?? 0) & ~(0xff >> (8 * emLen - emBits)) & 0xff) !== 0) return false;
  const mask = mgf1(hash, h, masked.length);
  const db = Buffer.alloc(masked.length);
  for (let i = 0; i < db.length; i++) db[i] = (masked[i] ?? 0) ^ (mask[i] ?? 0);
  db[0] = (db[0] ?? 0) & (0xff >> (8 * emLen - emBits));
  const psEnd = db.length - hLen - 1;
  for (let i = 0; i < psEnd; i++) if (db[i] !== 0) return false;
  if (db[psEnd] !== 0x01) return false;
  const expected = hashOfPrefixed(hash, mHash, db.subarray(db.length - hLen));
  return timingSafeEqual(expected, h);
}
