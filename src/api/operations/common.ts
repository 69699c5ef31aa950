// Small steps several operations share: DryRun, usage and algorithm checks, pagination markers.
import {
  DryRunOperationException,
  InvalidKeyUsageException,
  InvalidMarkerException,
} from '../../errors.js';
import { algorithmsFor } from '../../crypto/key-specs.js';
import type { KmsKey } from '../../keys/keyring.js';

/** Precondition: a DryRun request that would have succeeded fails with DryRunOperationException. */
export function endDryRun(dryRun: boolean | undefined): void {
  if (dryRun === true)
    throw new DryRunOperationException(
      'The request would have succeeded, but the DryRun option is set.',
    );
}

/** Precondition: the key's usage must be the one the operation needs. */
export function requireUsage(key: KmsKey, usage: string, operation: string): void {
  if (key.row.keyUsage !== usage) {
    throw new InvalidKeyUsageException(
      `${key.arn} key usage is ${key.row.keyUsage} which is not valid for ${operation}.`,
    );
  }
}

/** Precondition: a symmetric ENCRYPT_DECRYPT key, as the data-key and envelope operations need. */
export function requireSymmetricEncryptionKey(key: KmsKey, operation: string): void {
  requireUsage(key, 'ENCRYPT_DECRYPT', operation);
  if (key.row.keySpec !== 'SYMMETRIC_DEFAULT') {
    throw new InvalidKeyUsageException(
      `${key.arn} key spec is ${key.row.keySpec} which is not valid for ${operation}.`,
    );
  }
}

/** Precondition: the encryption algorithm must be one the key offers. */
export function requireEncryptionAlgorithm(key: KmsKey, algorithm: string): void {
  const offered = algorithmsFor(key.row.keySpec, key.row.keyUsage).encryption ?? [];
  if (!offered.includes(algorithm)) {
    throw new InvalidKeyUsageException(
      `The encryption algorithm ${algorithm} is not valid for ${key.arn}.`,
    );
  }
}

/** Pagination: markers are opaque base64url offsets into a stable ordering. */
export function decodeMarker(marker: string | undefined): string | undefined {
  if (marker === undefined) return undefined;
  const decoded = Buffer.from(marker, 'base64url').toString('utf8');
  if (!decoded.startsWith('m1:') || Buffer.from(decoded, 'utf8').toString('base64url') !== marker) {
    throw new InvalidMarkerException('The marker is not valid.');
  }
  return decoded.slice(3);
}

export function encodeMarker(after: string): string {
  return Buffer.from(`m1:${after}`, 'utf8').toString('base64url');
}

/** One page of `items` (sorted by `keyOf`) after the marker. */
/** Index of the first item whose key sorts after `after` (binary search; items are sorted by key). */
function firstAfter<T>(items: readonly T[], keyOf: (item: T) => string, after: string): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const item = items[mid];
    if (item !== undefined && keyOf(item) <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function page<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  limit: number,
  marker: string | undefined,
): { items: T[]; nextMarker?: string } {
  const after = decodeMarker(marker);
  const from = after === undefined ? 0 : firstAfter(items, keyOf, after);
  const slice = items.slice(from, from + limit);
  const last = slice[slice.length - 1];
  if (from + limit < items.length && last !== undefined)
    return { items: slice, nextMarker: encodeMarker(keyOf(last)) };
  return { items: slice };
}

/** The Truncated/NextMarker pair AWS returns: NextMarker only when truncated. */
export function pageTail(nextMarker: string | undefined): {
  Truncated: boolean;
  NextMarker?: string;
} {
  return nextMarker === undefined
    ? { Truncated: false }
    : { Truncated: true, NextMarker: nextMarker };
}
