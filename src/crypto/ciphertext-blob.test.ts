import { createDecipheriv, createSecretKey, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KmsError } from '../errors.js';
import {
  BLOB_OVERHEAD,
  blobHead,
  blobKeyId,
  blobMaterialVersion,
  bytesToUuid,
  checkBlob,
  openCiphertextBlob,
  parseBlobHeader,
  sealCiphertextBlob,
  sealCiphertextBlobUnder,
  sealWithHead,
  writeBlobHead,
} from './ciphertext-blob.js';
import { canonicalEncryptionContext } from './encryption-context.js';

const KEY = createSecretKey(
  Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex'),
);
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const VERSION = '00112233445566778899aabbccddeeff';
const CONTEXT = { purpose: 'test', clé: 'valeur ✓' };

// Sealed by an earlier build of this module; every blob ever handed out must keep opening.
const KNOWN_BLOB =
  '011234abcd12ab34cd56ef1234567890ab00112233445566778899aabbccddeeff675fa78b365f4956bd4b0c64' +
  '7c2209b148492e640157cb6a122602244f8d162b716fea9947b97aaec37e';

function expectInvalidCiphertext(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(KmsError);
    expect((err as KmsError).type).toBe('InvalidCiphertextException');
    return;
  }
  expect.fail('expected InvalidCiphertextException');
}

/** Opens a blob from the layout alone, without this module: header and IV, ciphertext, tag. */
function openByLayout(blob: Buffer, context: Record<string, string> | undefined): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', KEY, blob.subarray(33, 45), {
    authTagLength: 16,
  });
  decipher.setAAD(Buffer.concat([blob.subarray(0, 33), canonicalEncryptionContext(context)]));
  decipher.setAuthTag(blob.subarray(blob.length - 16));
  return Buffer.concat([decipher.update(blob.subarray(45, blob.length - 16)), decipher.final()]);
}

describe('ciphertext blob', () => {
  it('opens a blob sealed by an earlier build', () => {
    const blob = Buffer.from(KNOWN_BLOB, 'hex');
    expect(openCiphertextBlob(KEY, blob, CONTEXT).toString('utf8')).toBe('attack at dawn');
    expect(blobKeyId(blob)).toBe(KEY_ID);
    expect(blobMaterialVersion(blob)).toBe(VERSION);
  });

  it('builds the header from the key id and material version', () => {
    expect(blobHead(KEY_ID, VERSION).toString('hex')).toBe(
      `01${KEY_ID.replaceAll('-', '')}${VERSION}`,
    );
  });

  it('seals in the documented layout, with the header and context as AAD', () => {
    const plaintext = Buffer.from('x'.repeat(1000), 'utf8');
    const blob = sealWithHead(KEY, blobHead(KEY_ID, VERSION), plaintext, CONTEXT);
    expect(blob.length).toBe(BLOB_OVERHEAD + plaintext.length);
    expect(blob.subarray(0, 33).toString('hex')).toBe(`01${KEY_ID.replaceAll('-', '')}${VERSION}`);
    expect(openByLayout(blob, CONTEXT).equals(plaintext)).toBe(true);
    expect(openCiphertextBlob(KEY, blob, CONTEXT).equals(plaintext)).toBe(true);
  });

  it('seals alike from a parsed header and from a built one', () => {
    const header = { keyId: KEY_ID, materialVersion: Buffer.from(VERSION, 'hex') };
    const blob = sealCiphertextBlob(KEY, header, Buffer.from('abc'), undefined);
    expect(blob.subarray(0, 33).equals(blobHead(KEY_ID, VERSION))).toBe(true);
    expect(openByLayout(blob, undefined).toString()).toBe('abc');
    expect(parseBlobHeader(blob).keyId).toBe(KEY_ID);
    expect(parseBlobHeader(blob).materialVersion.toString('hex')).toBe(VERSION);
  });

  it('seals under a key id and version with the header blobHead builds', () => {
    const plaintext = Buffer.from('under a key id and version');
    const blob = sealCiphertextBlobUnder(KEY, KEY_ID, VERSION, plaintext, CONTEXT);
    expect(blob.subarray(0, 33).equals(blobHead(KEY_ID, VERSION))).toBe(true);
    expect(openByLayout(blob, CONTEXT).equals(plaintext)).toBe(true);
    const upper = sealCiphertextBlobUnder(
      KEY,
      KEY_ID.toUpperCase(),
      VERSION.toUpperCase(),
      plaintext,
      {},
    );
    expect(upper.subarray(0, 33).equals(blobHead(KEY_ID, VERSION))).toBe(true);
  });

  it('writes the header of any UUID and version as blobHead does', () => {
    for (let i = 0; i < 50; i++) {
      const keyId = randomUUID();
      const version = randomUUID().replaceAll('-', '');
      const blob = Buffer.alloc(BLOB_OVERHEAD, 0xee);
      expect(writeBlobHead(blob, keyId, version)).toBe(true);
      expect(blob.subarray(0, 33).equals(blobHead(keyId, version))).toBe(true);
      expect(blob.subarray(33).equals(Buffer.alloc(BLOB_OVERHEAD - 33, 0xee))).toBe(true);
    }
  });

  it('leaves a key id or version of another form to blobHead', () => {
    const blob = Buffer.alloc(BLOB_OVERHEAD);
    const misplacedDash = `${KEY_ID.slice(0, 7)}-${KEY_ID.slice(9)}x`;
    for (const [keyId, version] of [
      ['not-a-uuid', VERSION],
      [misplacedDash, VERSION],
      [KEY_ID.replace('a', 'g'), VERSION],
      [KEY_ID, '00'],
      [KEY_ID, VERSION.replace('a', 'z')],
    ] as const) {
      expect(writeBlobHead(blob, keyId, version)).toBe(false);
      const sealed = sealCiphertextBlobUnder(KEY, keyId, version, Buffer.from('x'), undefined);
      expect(sealed.subarray(0, 33).equals(blobHead(keyId, version))).toBe(true);
      expect(openCiphertextBlob(KEY, sealed, undefined).toString()).toBe('x');
    }
    expect(writeBlobHead(Buffer.alloc(32), KEY_ID, VERSION)).toBe(false);
  });

  it('draws a fresh IV for every blob', () => {
    const head = blobHead(KEY_ID, VERSION);
    const ivs = new Set<string>();
    for (let i = 0; i < 200; i++) {
      ivs.add(sealWithHead(KEY, head, Buffer.from('p'), undefined).toString('hex', 33, 45));
    }
    expect(ivs.size).toBe(200);
  });

  it('seals an empty plaintext and opens it back to zero bytes', () => {
    const blob = sealWithHead(KEY, blobHead(KEY_ID, VERSION), Buffer.alloc(0), {});
    expect(blob.length).toBe(BLOB_OVERHEAD);
    expect(openCiphertextBlob(KEY, blob, undefined).length).toBe(0);
  });

  it('refuses a different context, a changed byte, a short blob and another version', () => {
    const blob = Buffer.from(KNOWN_BLOB, 'hex');
    expectInvalidCiphertext(() => openCiphertextBlob(KEY, blob, { purpose: 'test' }));
    expectInvalidCiphertext(() => openCiphertextBlob(KEY, blob, undefined));
    for (const at of [0, 5, 20, 40, 50, blob.length - 1]) {
      const changed = Buffer.from(blob);
      changed[at] = (changed[at] ?? 0) ^ 1;
      expectInvalidCiphertext(() => openCiphertextBlob(KEY, changed, CONTEXT));
    }
    expectInvalidCiphertext(() => openCiphertextBlob(KEY, blob.subarray(0, 60), CONTEXT));
    expectInvalidCiphertext(() => {
      checkBlob(blob.subarray(0, BLOB_OVERHEAD - 1));
    });
    const other = Buffer.from(blob);
    other[0] = 2;
    expectInvalidCiphertext(() => blobKeyId(other));
    expect(() => {
      checkBlob(blob);
    }).not.toThrow();
  });

  it('reads the key id of each of many blobs, past the bound of remembered ids', () => {
    const head = Buffer.from(KNOWN_BLOB, 'hex');
    for (let i = 0; i < 12_000; i++) {
      const keyId = randomUUID();
      const blob = Buffer.from(head);
      Buffer.from(keyId.replaceAll('-', ''), 'hex').copy(blob, 1);
      if (blobKeyId(blob) !== keyId) expect.fail(`read the wrong key id for ${keyId}`);
      if (i % 1000 === 0) expect(blobKeyId(Buffer.from(KNOWN_BLOB, 'hex'))).toBe(KEY_ID);
    }
  });

  it('reads key ids as lower-case UUIDs', () => {
    expect(bytesToUuid(Buffer.from('ABCDEF0123456789abcdef0123456789', 'hex'))).toBe(
      'abcdef01-2345-6789-abcd-ef0123456789',
    );
  });
});
