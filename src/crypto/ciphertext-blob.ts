// The symmetric ciphertext blob: version (1) | key id (16) | material version id (16) | IV (12) |
// ciphertext | tag (16). The AAD is the 33-byte header followed by the canonical encryption context.
// One parser, bounds-checked; every failure to parse or open is the same InvalidCiphertextException.
import type { KeyObject } from 'node:crypto';
import { invalidCiphertext } from '../errors.js';
import { IV_LENGTH, TAG_LENGTH, openAesGcm, sealAesGcm } from './aes-gcm.js';
import { canonicalEncryptionContext, type EncryptionContext } from './encryption-context.js';

export const BLOB_VERSION = 0x01;
const HEADER_LENGTH = 1 + 16 + 16;
export const BLOB_OVERHEAD = HEADER_LENGTH + IV_LENGTH + TAG_LENGTH;

export interface BlobHeader {
  /** The key id as a lower-case UUID string. */
  readonly keyId: string;
  /** The material version id, 16 bytes. */
  readonly materialVersion: Buffer;
}

export function uuidToBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replaceAll('-', ''), 'hex');
}

export function bytesToUuid(bytes: Buffer): string {
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Reads the header of a blob without opening it; throws InvalidCiphertextException if malformed. */
export function parseBlobHeader(blob: Buffer): BlobHeader {
  if (blob.length < BLOB_OVERHEAD || blob[0] !== BLOB_VERSION) throw invalidCiphertext();
  return { keyId: bytesToUuid(blob.subarray(1, 17)), materialVersion: blob.subarray(17, 33) };
}

export function sealCiphertextBlob(
  material: KeyObject,
  header: BlobHeader,
  plaintext: Buffer,
  context: EncryptionContext | undefined,
): Buffer {
  const head = Buffer.alloc(HEADER_LENGTH);
  head[0] = BLOB_VERSION;
  uuidToBytes(header.keyId).copy(head, 1);
  header.materialVersion.copy(head, 17);
  const aad = Buffer.concat([head, canonicalEncryptionContext(context)]);
  const sealed = sealAesGcm(material, plaintext, aad);
  return Buffer.concat([head, sealed.iv, sealed.ciphertext, sealed.tag]);
}

/** Opens a blob whose header was already parsed and whose material was found. */
export function openCiphertextBlob(
  material: KeyObject,
  blob: Buffer,
  context: EncryptionContext | undefined,
): Buffer {
  if (blob.length < BLOB_OVERHEAD) throw invalidCiphertext();
  const aad = Buffer.concat([blob.subarray(0, HEADER_LENGTH), canonicalEncryptionContext(context)]);
  const iv = blob.subarray(HEADER_LENGTH, HEADER_LENGTH + IV_LENGTH);
  const ciphertext = blob.subarray(HEADER_LENGTH + IV_LENGTH, blob.length - TAG_LENGTH);
  const tag = blob.subarray(blob.length - TAG_LENGTH);
  try {
    return openAesGcm(material, { iv, ciphertext, tag }, aad);
  } catch (cause) {
    throw invalidCiphertext(cause);
  }
}
