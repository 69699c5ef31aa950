import { describe, expect, it } from 'vitest';
import { contextConditions, tagConditions } from './conditions.js';

describe('contextConditions', () => {
  it('gives one kms:EncryptionContext:<k> per pair, the key list and the extra members', () => {
    for (let i = 0; i < 2; i++) {
      expect(
        contextConditions({ tenant: 'acme', purpose: 'x' }, { 'kms:EncryptionAlgorithm': 'A' }),
      ).toEqual({
        'kms:EncryptionAlgorithm': 'A',
        'kms:EncryptionContext:tenant': 'acme',
        'kms:EncryptionContext:purpose': 'x',
        'kms:EncryptionContextKeys': ['tenant', 'purpose'],
      });
    }
  });

  it('names long and unusual keys in full, every time', () => {
    const long = 'k'.repeat(500);
    for (let i = 0; i < 2; i++) {
      const out = contextConditions({ [long]: 'v', ['__proto__']: 'p', '': 'e' });
      expect(out[`kms:EncryptionContext:${long}`]).toBe('v');
      expect(Object.prototype.hasOwnProperty.call(out, 'kms:EncryptionContext:__proto__')).toBe(
        true,
      );
      expect(out['kms:EncryptionContext:']).toBe('e');
    }
  });

  it('adds nothing for a request without a context', () => {
    expect(contextConditions(undefined, { a: 1 })).toEqual({ a: 1 });
    expect(tagConditions([], { a: 1 })).toEqual({ a: 1 });
  });
});
