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

  it('refuses key specs it cannot seed yet', () => {
    expect(() => seedMaterialBytes('RSA_2048', undefined)).toThrow(/cannot be seeded/);
  });
});
