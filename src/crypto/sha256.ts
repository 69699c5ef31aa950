// One-shot SHA-256 for the request path. crypto.hash (Node 20.12 and later) hashes without building a
// Hash object, which costs more than the hashing itself for the short texts SigV4 and the audit trail
// hash; on an older Node the same digest comes from createHash.
import * as nodeCrypto from 'node:crypto';

type OneShot = (
  algorithm: string,
  data: string | Buffer,
  outputEncoding: 'hex' | 'buffer',
) => unknown;

const oneShot = (nodeCrypto as { readonly hash?: OneShot }).hash;

/** SHA-256 of `data` (a string is hashed as UTF-8), as lower-case hex. */
export function sha256Hex(data: string | Buffer): string {
  if (oneShot !== undefined) return oneShot('sha256', data, 'hex') as string;
  return nodeCrypto.createHash('sha256').update(data).digest('hex');
}

/** SHA-256 of `data` (a string is hashed as UTF-8), as 32 bytes. */
export function sha256Bytes(data: string | Buffer): Buffer {
  if (oneShot !== undefined) return oneShot('sha256', data, 'buffer') as Buffer;
  return nodeCrypto.createHash('sha256').update(data).digest();
}
