import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openssl } from '../../test/support/openssl.js';
import { sm2MessageDigest, sm2Sign, sm2Verify, sm3 } from './sm2.js';
import { sm2Decrypt, sm2Encrypt } from './sm2-pke.js';

const key = generateKeyPairSync('ec', { namedCurve: 'SM2' });
const files = {
  'key.pem': key.privateKey.export({ type: 'pkcs8', format: 'pem' }),
  'pub.pem': key.publicKey.export({ type: 'spki', format: 'pem' }),
};
const message = Buffer.from('SM2 signing with the default distinguishing ID');
const distid = ['-pkeyopt', 'distid:1234567812345678'];

describe('SM2DSA', () => {
  it('makes signatures openssl verifies with SM3 and distinguishing ID 1234567812345678', () => {
    const signature = sm2Sign(key.privateKey, sm2MessageDigest(key.publicKey, message, false));
    const args = ['pkeyutl', '-verify', '-pubin', '-inkey', 'pub.pem', '-rawin', '-digest', 'sm3'];
    const run = openssl([...args, '-in', 'm', '-sigfile', 's', ...distid], {
      ...files,
      m: message,
      s: signature,
    });
    expect(run.stdout).toContain('Signature Verified Successfully');
    const otherId = ['-pkeyopt', 'distid:0000000000000000'];
    expect(
      openssl([...args, '-in', 'm', '-sigfile', 's', ...otherId], {
        ...files,
        m: message,
        s: signature,
      }).ok,
    ).toBe(false);
  });

  it('verifies signatures openssl makes, and rejects them for another message', () => {
    const args = [
      'pkeyutl',
      '-sign',
      '-inkey',
      'key.pem',
      '-rawin',
      '-digest',
      'sm3',
      '-in',
      'm',
      '-out',
      's',
      ...distid,
    ];
    const signature = openssl(args, { ...files, m: message }, ['s']).out.s!;
    expect(
      sm2Verify(key.publicKey, sm2MessageDigest(key.publicKey, message, false), signature),
    ).toBe(true);
    const other = sm2MessageDigest(key.publicKey, Buffer.from('other'), false);
    expect(sm2Verify(key.publicKey, other, signature)).toBe(false);
  });

  it('treats a DIGEST as e = SM3(Z_A || M) computed by the caller', () => {
    const e = sm2MessageDigest(key.publicKey, message, false);
    const signature = sm2Sign(key.privateKey, e);
    expect(sm2Verify(key.publicKey, sm2MessageDigest(key.publicKey, e, true), signature)).toBe(
      true,
    );
    expect(sm3(Buffer.from('abc')).toString('hex')).toBe(
      '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0',
    );
  });
});

describe('SM2PKE', () => {
  it('encrypts so that openssl decrypts, and decrypts what openssl encrypts', () => {
    const plaintext = Buffer.from('a secret for SM2PKE');
    const ct = sm2Encrypt(key.publicKey, plaintext);
    const dec = openssl(
      ['pkeyutl', '-decrypt', '-inkey', 'key.pem', '-in', 'c', '-out', 'p'],
      { ...files, c: ct },
      ['p'],
    );
    expect(dec.out.p?.equals(plaintext)).toBe(true);
    const enc = openssl(
      ['pkeyutl', '-encrypt', '-pubin', '-inkey', 'pub.pem', '-in', 'p', '-out', 'c'],
      { ...files, p: plaintext },
      ['c'],
    );
    expect(sm2Decrypt(key.privateKey, enc.out.c!).equals(plaintext)).toBe(true);
  });

  it('refuses a ciphertext with a changed byte', () => {
    const ct = sm2Encrypt(key.publicKey, Buffer.from('tamper me'));
    ct[ct.length - 1] = (ct[ct.length - 1] ?? 0) ^ 1;
    expect(() => sm2Decrypt(key.privateKey, ct)).toThrow();
  });
});
