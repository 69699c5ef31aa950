// The key-spec table agrees with the AWS model's enums, and the rules other modules read from it hold.
import { describe, expect, it } from 'vitest';
import { shapes } from '../src/api/model.generated.js';
import { signingAlgorithms, MAC_HASHES } from '../src/crypto/algorithms.js';
import { keySpecs } from '../src/crypto/key-specs.js';

function enumOf(name: string): string[] {
  const shape = shapes[name] as { enum?: string[] } | undefined;
  return shape?.enum ?? [];
}

describe('the key-spec table', () => {
  it('has a supported row for every KeySpec in the model', () => {
    for (const spec of enumOf('KeySpec')) expect(keySpecs.get(spec)?.supported, spec).toBe(true);
    expect([...keySpecs.keys()].sort()).toEqual(enumOf('KeySpec').sort());
  });

  it('marks exactly the CustomerMasterKeySpec values and the DataKeyPairSpec values', () => {
    const cmk = [...keySpecs.values()]
      .filter((r) => r.inCustomerMasterKeySpec)
      .map((r) => r.keySpec);
    expect(cmk.sort()).toEqual(enumOf('CustomerMasterKeySpec').sort());
    const pairs = [...keySpecs.values()].filter((r) => r.isDataKeyPairSpec).map((r) => r.keySpec);
    expect(pairs.sort()).toEqual(enumOf('DataKeyPairSpec').sort());
  });

  it('lets only SYMMETRIC_DEFAULT rotate', () => {
    const rotating = [...keySpecs.values()].filter((r) => r.canRotate).map((r) => r.keySpec);
    expect(rotating).toEqual(['SYMMETRIC_DEFAULT']);
  });

  it('names only algorithms of the model enums, each with facts in the algorithm table', () => {
    const usages = [...keySpecs.values()].flatMap((r) => Object.values(r.usages));
    for (const u of usages) {
      for (const a of u.signing ?? []) {
        expect(enumOf('SigningAlgorithmSpec')).toContain(a);
        expect(signingAlgorithms.has(a), a).toBe(true);
      }
      for (const a of u.encryption ?? []) expect(enumOf('EncryptionAlgorithmSpec')).toContain(a);
      for (const a of u.mac ?? []) expect(MAC_HASHES.has(a), a).toBe(true);
      for (const a of u.keyAgreement ?? [])
        expect(enumOf('KeyAgreementAlgorithmSpec')).toContain(a);
      for (const a of u.encapsulation ?? [])
        expect(enumOf('EncapsulationAlgorithmSpec')).toContain(a);
    }
    expect([...signingAlgorithms.keys()].sort()).toEqual(enumOf('SigningAlgorithmSpec').sort());
  });
});
