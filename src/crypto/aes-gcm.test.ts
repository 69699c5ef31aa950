import { createSecretKey, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IV_LENGTH, TAG_LENGTH, openAesGcm, sealAesGcm, sealAesGcmInto } from './aes-gcm.js';

const KEY = createSecretKey(randomBytes(32));

describe('AES-256-GCM', () => {
  it('seals into a buffer exactly as into separate pieces', () => {
    const iv = randomBytes(IV_LENGTH);
    const plaintext = randomBytes(100);
    const aad = Buffer.from('aad');
    const pieces = sealAesGcm(KEY, plaintext, aad, iv);
    const out = Buffer.alloc(7 + plaintext.length + TAG_LENGTH, 0xee);
    sealAesGcmInto(KEY, iv, plaintext, aad, out, 7);
    expect(out.subarray(0, 7).equals(Buffer.alloc(7, 0xee))).toBe(true);
    expect(out.subarray(7, 107).equals(pieces.ciphertext)).toBe(true);
    expect(out.subarray(107).equals(pieces.tag)).toBe(true);
  });

  it('opens into memory of its own, not a shared pool', () => {
    const sealed = sealAesGcm(KEY, Buffer.from('secret'), Buffer.alloc(0));
    const opened = openAesGcm(KEY, sealed, Buffer.alloc(0));
    expect(opened.toString()).toBe('secret');
    expect(opened.byteOffset).toBe(0);
    expect(opened.buffer.byteLength).toBe(opened.length);
  });

  it('throws on a wrong tag, a wrong AAD and a short tag', () => {
    const aad = Buffer.from('bound');
    const sealed = sealAesGcm(KEY, Buffer.from('secret'), aad);
    const badTag = Buffer.from(sealed.tag);
    badTag[0] = (badTag[0] ?? 0) ^ 1;
    expect(() => openAesGcm(KEY, { ...sealed, tag: badTag }, aad)).toThrow();
    expect(() => openAesGcm(KEY, sealed, Buffer.from('other'))).toThrow();
    expect(() => openAesGcm(KEY, { ...sealed, tag: sealed.tag.subarray(0, 4) }, aad)).toThrow();
  });
});
