// The symmetric ciphertext blob: version (1) | key id (16) | material version id (16) | IV (12) |
// ciphertext | tag (16). The AAD is the 33-byte header followed by the canonical encryption context.
// One parser, bounds-checked; every failure to parse or open is the same InvalidCiphertextException.
import { invalidCiphertext } from '../errors.js';
import { IV_LENGTH, TAG_LENGTH, openAesGcm, sealAesGcmInto, type AesKey } from './aes-gcm.js';
import { prefixedEncryptionContext, type EncryptionContext } from './encryption-context.js';
import { fillRandom } from './random-pool.js';

export const BLOB_VERSION = 0x01;
export const HEADER_LENGTH = 1 + 16 + 16;
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
  return uuidAt(bytes, 0);
}

const DASH = 0x2d;

/** Where a UUID string is built, one character per byte, before it is read out as one string. */
const uuidText = Buffer.alloc(36);
const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');

/** The 16 bytes at `start` as a lower-case UUID string, built in one allocation. */
function uuidAt(bytes: Buffer, start: number): string {
  let at = 0;
  for (let n = 0; n < 16; n++) {
    // 8-4-4-4-12 digits: a dash before bytes 4, 6, 8 and 10.
    if (n === 4 || n === 6 || n === 8 || n === 10) uuidText[at++] = DASH;
    const byte = bytes[start + n] ?? 0;
    uuidText[at++] = HEX_DIGITS[byte >> 4] ?? 0;
    uuidText[at++] = HEX_DIGITS[byte & 0x0f] ?? 0;
  }
  return uuidText.toString('latin1', 0, 36);
}

/** Reads the header of a blob without opening it; throws InvalidCiphertextException if malformed. */
export function parseBlobHeader(blob: Buffer): BlobHeader {
  return { keyId: blobKeyId(blob), materialVersion: blob.subarray(17, 33) };
}

/** Precondition of every read of a blob: long enough and of the one version; else
 *  InvalidCiphertextException. */
export function checkBlob(blob: Buffer): void {
  if (blob.length < BLOB_OVERHEAD || blob[0] !== BLOB_VERSION) throw invalidCiphertext();
}

/** The key id a blob names; throws InvalidCiphertextException if the blob is malformed. Nothing is
 *  remembered per id: with many keys, most blobs name an id not seen lately, and a remembered id
 *  would outlive the request. */
export function blobKeyId(blob: Buffer): string {
  checkBlob(blob);
  return uuidAt(blob, 1);
}

/** The material version id a blob names, as 32 lower-case hex digits (check the blob first). */
export function blobMaterialVersion(blob: Buffer): string {
  return blob.toString('hex', 17, 33);
}

/** The 33 header bytes of every blob sealed under one key id and material version (32 hex). */
export function blobHead(keyId: string, materialVersion: string): Buffer {
  const head = Buffer.alloc(HEADER_LENGTH);
  head[0] = BLOB_VERSION;
  uuidToBytes(keyId).copy(head, 1);
  Buffer.from(materialVersion, 'hex').copy(head, 17);
  return head;
}

export function sealCiphertextBlob(
  material: AesKey,
  header: BlobHeader,
  plaintext: Buffer,
  context: EncryptionContext | undefined,
): Buffer {
  const head = blobHead(header.keyId, header.materialVersion.toString('hex'));
  return sealWithHead(material, head, plaintext, context);
}

/**
 * Seals under a header already built (see blobHead): one buffer for the AAD, one for the blob, which
 * the IV, ciphertext and tag are written straight into.
 */
export function sealWithHead(
  material: AesKey,
  head: Buffer,
  plaintext: Buffer,
  context: EncryptionContext | undefined,
): Buffer {
  // Every byte is written (header, IV, ciphertext, tag), so no zero fill; none is secret.
  const blob = Buffer.allocUnsafe(BLOB_OVERHEAD + plaintext.length);
  head.copy(blob, 0, 0, HEADER_LENGTH);
  return sealBehindHead(material, blob, plaintext, context);
}

/**
 * Seals under a key id and material version (32 hex), their header bytes parsed straight into the
 * blob: sealing keeps nothing per key and allocates only the AAD and the blob.
 */
export function sealCiphertextBlobUnder(
  material: AesKey,
  keyId: string,
  materialVersion: string,
  plaintext: Buffer,
  context: EncryptionContext | undefined,
): Buffer {
  // Every byte is written (header, IV, ciphertext, tag), so no zero fill; none is secret.
  const blob = Buffer.allocUnsafe(BLOB_OVERHEAD + plaintext.length);
  if (!writeBlobHead(blob, keyId, materialVersion)) blobHead(keyId, materialVersion).copy(blob, 0);
  return sealBehindHead(material, blob, plaintext, context);
}

/** Fills in the IV, ciphertext and tag of a blob whose header is written. */
function sealBehindHead(
  material: AesKey,
  blob: Buffer,
  plaintext: Buffer,
  context: EncryptionContext | undefined,
): Buffer {
  const aad = prefixedEncryptionContext(blob, HEADER_LENGTH, context);
  const iv = blob.subarray(HEADER_LENGTH, HEADER_LENGTH + IV_LENGTH);
  fillRandom(iv);
  sealAesGcmInto(material, iv, plaintext, aad, blob, HEADER_LENGTH + IV_LENGTH);
  return blob;
}

/** A UUID is 8-4-4-4-12 hex digits: the dashes, and where each of its 16 bytes' two digits start. */
const UUID_DASHES = [8, 13, 18, 23];
const UUID_BYTES = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];

/**
 * Writes the header blobHead builds into the first 33 bytes of `blob`, from a key id of UUID form and a
 * 32-digit hex material version; false when either has another form (the header then unfinished).
 */
export function writeBlobHead(blob: Buffer, keyId: string, materialVersion: string): boolean {
  if (blob.length < HEADER_LENGTH || keyId.length !== 36 || materialVersion.length !== 32)
    return false;
  for (const dash of UUID_DASHES) if (keyId.charCodeAt(dash) !== DASH) return false;
  for (let n = 0; n < 16; n++) {
    const byte = hexByte(keyId, UUID_BYTES[n] ?? 0);
    const version = hexByte(materialVersion, 2 * n);
    if (byte < 0 || version < 0) return false;
    blob[1 + n] = byte;
    blob[17 + n] = version;
  }
  blob[0] = BLOB_VERSION;
  return true;
}

/** The byte two hex digits at `i` stand for, or -1. */
function hexByte(text: string, i: number): number {
  const high = hexDigit(text.charCodeAt(i));
  const low = hexDigit(text.charCodeAt(i + 1));
  return high < 0 || low < 0 ? -1 : (high << 4) | low;
}

function hexDigit(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  return -1;
}

/** Opens a blob whose header was already parsed and whose material was found. */
export function openCiphertextBlob(
  material: AesKey,
  blob: Buffer,
  context: EncryptionContext | undefined,
): Buffer {
  if (blob.length < BLOB_OVERHEAD) throw invalidCiphertext();
  const aad = prefixedEncryptionContext(blob, HEADER_LENGTH, context);
  const iv = blob.subarray(HEADER_LENGTH, HEADER_LENGTH + IV_LENGTH);
  const ciphertext = blob.subarray(HEADER_LENGTH + IV_LENGTH, blob.length - TAG_LENGTH);
  const tag = blob.subarray(blob.length - TAG_LENGTH);
  try {
    return openAesGcm(material, { iv, ciphertext, tag }, aad);
  } catch (cause) {
    throw invalidCiphertext(cause);
  }
}
