// Grant tokens: opaque, unforgeable bearer strings that name one grant. A token is
// base64url(version | grant id | 32 random bytes); only a SHA-256 hash of it is ever stored, and a
// presented token is checked against the stored hashes in constant time. Tokens never reach logs.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const VERSION = 1;
const GRANT_ID_BYTES = 32;
const SECRET_BYTES = 32;
const TOKEN_BYTES = 1 + GRANT_ID_BYTES + SECRET_BYTES;
const HASH_DOMAIN = 'trent-grant-token-v1';

export interface MintedToken {
  readonly grantToken: string;
  readonly tokenHash: Buffer;
}

export function newGrantId(): string {
  return randomBytes(GRANT_ID_BYTES).toString('hex');
}

export function isWellFormedGrantId(grantId: string): boolean {
  return /^[0-9a-f]{64}$/.test(grantId);
}

function hashOf(tokenBytes: Buffer): Buffer {
  return createHash('sha256').update(HASH_DOMAIN).update(tokenBytes).digest();
}

/** Makes a fresh token for a grant; the caller stores only `tokenHash`. */
export function mintGrantToken(grantId: string): MintedToken {
  const bytes = Buffer.alloc(TOKEN_BYTES);
  bytes[0] = VERSION;
  bytes.write(grantId, 1, 'hex');
  randomBytes(SECRET_BYTES).copy(bytes, 1 + GRANT_ID_BYTES);
  return { grantToken: bytes.toString('base64url'), tokenHash: hashOf(bytes) };
}

export interface ParsedToken {
  readonly grantId: string;
  readonly tokenHash: Buffer;
}

/** Reads a presented token; undefined when it cannot be one of ours. */
export function parseGrantToken(grantToken: string): ParsedToken | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(grantToken)) return undefined;
  const bytes = Buffer.from(grantToken, 'base64url');
  if (bytes.length !== TOKEN_BYTES || bytes[0] !== VERSION) return undefined;
  if (bytes.toString('base64url') !== grantToken) return undefined;
  return {
    grantId: bytes.subarray(1, 1 + GRANT_ID_BYTES).toString('hex'),
    tokenHash: hashOf(bytes),
  };
}

/** Whether `presented` equals one of `stored`, comparing every candidate in constant time. */
export function matchesStoredHash(presented: Buffer, stored: readonly Buffer[]): boolean {
  let found = false;
  for (const h of stored) {
    if (h.length === presented.length && timingSafeEqual(h, presented)) found = true;
  }
  return found;
}
