import { describe, expect, it } from 'vitest';
import { mayServeUnaudited, operationClass, usageTrackedOperations } from './operation-classes.js';

describe('audit classification of operations', () => {
  it('treats an unknown operation as a write, which is refused while the trail is down', () => {
    expect(operationClass('SomethingNew')).toEqual({ readOnly: false, cryptographic: false });
    expect(mayServeUnaudited('SomethingNew')).toBe(false);
  });

  it('serves only non-cryptographic reads unaudited', () => {
    expect(mayServeUnaudited('DescribeKey')).toBe(true);
    expect(mayServeUnaudited('Decrypt')).toBe(false);
    expect(mayServeUnaudited('CreateKey')).toBe(false);
  });

  it('counts every usage-tracked operation as cryptographic', () => {
    for (const op of usageTrackedOperations) expect(operationClass(op).cryptographic).toBe(true);
  });
});
