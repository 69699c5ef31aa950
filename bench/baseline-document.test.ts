import { describe, expect, it } from 'vitest';
import { fixedDocument } from './baseline-document.js';

describe('fixedDocument', () => {
  it('is valid JSON of exactly the requested size', () => {
    for (const size of [14, 15, 100, 1234, 6000]) {
      const text = fixedDocument(size);
      expect(Buffer.byteLength(text)).toBe(size);
      expect(() => JSON.parse(text) as unknown).not.toThrow();
    }
  });

  it('never goes below the empty padding document', () => {
    expect(fixedDocument(0)).toBe('{"Padding":""}');
  });
});
