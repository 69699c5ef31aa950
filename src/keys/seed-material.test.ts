import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseSeedMaterial, seedMaterialBytes } from './seed-material.js';

describe('seed material', () => {
  it('decodes base64: material for a symmetric key', () => {
    const bytes = Buffer.alloc(32, 9);
    const m = parseSeedMaterial(`base64:${bytes.toString('base64')}`);
    expect(seedMaterialBytes('SYMMETRIC_DEFAULT', m).equals(bytes)).toBe(true);
  });

  it('makes fresh random material when none is given', () => {
    const a = seedMaterialBytes('SYMMETRIC_DEFAULT', undefined);
    const b = seedMaterialBytes('SYMMETRIC_DEFAULT', undefined);
    expect(a).toHaveLength(32);
    expect(a.equals(b)).toBe(false);
  });

  it('rejects symmetric material that is not 32 bytes, without echoing it', () => {
    const m = parseSeedMaterial(`base64:${Buffer.alloc(16, 1).toString('base64')}`);
    expect(() => seedMaterialBytes('SYMMETRIC_DEFAULT', m)).toThrow(/must be 32 bytes, found 16/);
  });

  it('recognises PEM material and refuses it for a symmetric key', () => {
    const m = parseSeedMaterial('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----');
    expect(m.kind).toBe('pem');
    expect(() => seedMaterialBytes('SYMMETRIC_DEFAULT', m)).toThrow(/not PEM/);
  });

  it('rejects material in neither format and bad base64', () => {
    expect(() => parseSeedMaterial('hex:00')).toThrow(/base64:<bytes>/);
    expect(() => parseSeedMaterial('base64:@@@@')).toThrow(/not valid base64/);
  });

  it('refuses a key spec it does not know', () => {
    expect(() => seedMaterialBytes('RSA_1024', undefined)).toThrow(/cannot be seeded/);
  });

  it('takes a PEM private key for asymmetric specs and checks its type', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
    const m = parseSeedMaterial(String(privateKey.export({ format: 'pem', type: 'pkcs8' })));
    const stored = seedMaterialBytes('ECC_SECG_P256K1', m);
    expect(stored.equals(privateKey.export({ format: 'der', type: 'pkcs8' }))).toBe(true);
    expect(() => seedMaterialBytes('ECC_NIST_P256', m)).toThrow(/not a ECC_NIST_P256 key/);
  });

  it('takes base64: bytes for HMAC keys and refuses PEM for them', () => {
    const m = parseSeedMaterial(`base64:${Buffer.alloc(32, 5).toString('base64')}`);
    expect(seedMaterialBytes('HMAC_256', m).equals(Buffer.alloc(32, 5))).toBe(true);
    const pem = parseSeedMaterial('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----');
    expect(() => seedMaterialBytes('HMAC_256', pem)).toThrow(/not PEM/);
  });

  it('makes fresh material of the right kind for every spec when none is given', () => {
    expect(seedMaterialBytes('HMAC_512', undefined)).toHaveLength(64);
    expect(seedMaterialBytes('ML_KEM_768', undefined)).toHaveLength(64);
    const der = seedMaterialBytes('ECC_NIST_EDWARDS25519', undefined);
    expect(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).asymmetricKeyType).toBe(
      'ed25519',
    );
  });
});
