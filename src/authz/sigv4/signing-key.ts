// Step 3 of SigV4: the signing key, HMAC chained over date, region, service and "aws4_request",
// cached per (secret, date, region, service) so the four HMACs run once a day per credential.
// The secret enters only as a KeyObject holding "AWS4" + secret; the derived key is kept only as an
// HmacSha256Key (padded key blocks, never printed, zeroed when evicted).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#derive-signing-key
import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { HmacSha256Key } from '../../crypto/sha256.js';
import type { CredentialScope } from './authorization-header.js';

const TERMINATOR = 'aws4_request';
const MAX_ENTRIES = 10_000;

/** Wraps a secret access key into the KeyObject the derivation starts from. */
export function signingSecret(secretAccessKey: string | Buffer): KeyObject {
  const length =
    typeof secretAccessKey === 'string'
      ? Buffer.byteLength(secretAccessKey, 'utf8')
      : secretAccessKey.length;
  const bytes = Buffer.alloc(4 + length);
  bytes.write('AWS4', 0, 'utf8');
  if (typeof secretAccessKey === 'string') bytes.write(secretAccessKey, 4, 'utf8');
  else secretAccessKey.copy(bytes, 4);
  const key = createSecretKey(bytes);
  bytes.fill(0);
  return key;
}

export function deriveSigningKey(
  secret: KeyObject,
  date: string,
  region: string,
  service: string,
): Buffer {
  const dateKey = createHmac('sha256', secret).update(date).digest();
  const regionKey = createHmac('sha256', dateKey).update(region).digest();
  const serviceKey = createHmac('sha256', regionKey).update(service).digest();
  return createHmac('sha256', serviceKey).update(TERMINATOR).digest();
}

interface Entry {
  readonly secret: KeyObject;
  readonly key: HmacSha256Key;
}

/** Derived keys by access key id and scope; an entry counts only for the very secret it came from. */
export class SigningKeyCache {
  private readonly entries = new Map<string, Entry>();

  /** The signing key of `scope` under `secret`; `scope.text` keys the cache. */
  get(scope: CredentialScope, secret: KeyObject): HmacSha256Key {
    const hit = this.entries.get(scope.text);
    if (hit !== undefined && hit.secret === secret) return hit.key;
    hit?.key.dispose();
    if (this.entries.size >= MAX_ENTRIES) this.clear();
    const derived = deriveSigningKey(secret, scope.date, scope.region, scope.service);
    const key = new HmacSha256Key(derived);
    derived.fill(0);
    this.entries.set(scope.text, { secret, key });
    return key;
  }

  private clear(): void {
    for (const entry of this.entries.values()) entry.key.dispose();
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
