import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { importKeyMaterial } from './key-import.js';
import { keySpecRow } from './key-specs.js';
import { loadMaterial } from './key-material.js';

describe('importing fixed key material', () => {
  it('accepts a secp256k1 PEM (SEC1 or PKCS#8) and stores the same key as PKCS#8', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
    const row = keySpecRow('ECC_SECG_P256K1');
    for (const pem of [
      privateKey.export({ format: 'pem', type: 'sec1' }),
      privateKey.export({ format: 'pem', type: 'pkcs8' }),
    ]) {
      const stored = importKeyMaterial(row, pem);
      const loaded = loadMaterial(row, stored);
      expect(
        loaded.kind === 'pair' &&
          loaded.publicKeyDer.equals(publicKey.export({ format: 'der', type: 'spki' })),
      ).toBe(true);
    }
  });

  it('accepts an RSA_2048 key as PKCS#8 DER and refuses it for RSA_3072 and for an EC spec', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const der = privateKey.export({ format: 'der', type: 'pkcs8' });
    expect(importKeyMaterial(keySpecRow('RSA_2048'), der).equals(der)).toBe(true);
    expect(() => importKeyMaterial(keySpecRow('RSA_3072'), der)).toThrow(/not a RSA_3072 key/);
    expect(() => importKeyMaterial(keySpecRow('ECC_NIST_P256'), der)).toThrow();
  });

  it('tells P-256 from secp256k1 and SM2 from both, and accepts Ed25519 only for ECC_NIST_EDWARDS25519', () => {
    const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({
      format: 'pem',
      type: 'pkcs8',
    });
    const sm2 = generateKeyPairSync('ec', { namedCurve: 'SM2' }).privateKey.export({
      format: 'pem',
      type: 'pkcs8',
    });
    const ed = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' });
    expect(() => importKeyMaterial(keySpecRow('ECC_SECG_P256K1'), p256)).toThrow();
    expect(importKeyMaterial(keySpecRow('ECC_NIST_P256'), p256).length).toBeGreaterThan(0);
    expect(importKeyMaterial(keySpecRow('SM2'), sm2).length).toBeGreaterThan(0);
    expect(() => importKeyMaterial(keySpecRow('ECC_NIST_P256'), sm2)).toThrow();
    expect(importKeyMaterial(keySpecRow('ECC_NIST_EDWARDS25519'), ed).length).toBeGreaterThan(0);
    expect(() => importKeyMaterial(keySpecRow('ECC_NIST_P256'), ed)).toThrow();
  });

  it('takes HMAC keys from the spec length up to the block size, and exact post-quantum seeds', () => {
    expect(importKeyMaterial(keySpecRow('HMAC_256'), randomBytes(32)).length).toBe(32);
    expect(importKeyMaterial(keySpecRow('HMAC_256'), randomBytes(64)).length).toBe(64);
    expect(() => importKeyMaterial(keySpecRow('HMAC_256'), randomBytes(31))).toThrow();
    expect(() => importKeyMaterial(keySpecRow('HMAC_384'), randomBytes(129))).toThrow();
    expect(importKeyMaterial(keySpecRow('ML_DSA_44'), randomBytes(32)).length).toBe(32);
    expect(() => importKeyMaterial(keySpecRow('ML_KEM_512'), randomBytes(32))).toThrow();
  });

  it('refuses text that is not a key without echoing it', () => {
    expect(() => importKeyMaterial(keySpecRow('RSA_2048'), 'secret-looking text')).toThrow(
      'the key material is not a PKCS#8 or SEC1 private key in PEM or DER',
    );
  });
});
