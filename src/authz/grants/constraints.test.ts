import { describe, expect, it } from 'vitest';
import { contextSatisfies, isAtLeastAsStrict, sameConstraints } from './constraints.js';
import type { GrantConstraints } from './grant.js';

type Row = [string, GrantConstraints | undefined, Record<string, string>, boolean];

const matching: Row[] = [
  ['no constraint allows any context', undefined, { a: '1' }, true],
  ['no constraint allows an empty context', undefined, {}, true],
  ['Equals allows the exact context', { encryptionContextEquals: { a: '1' } }, { a: '1' }, true],
  [
    'Equals allows the exact context in another order',
    { encryptionContextEquals: { a: '1', b: '2' } },
    { b: '2', a: '1' },
    true,
  ],
  [
    'Equals refuses an extra pair',
    { encryptionContextEquals: { a: '1' } },
    { a: '1', b: '2' },
    false,
  ],
  [
    'Equals refuses a missing pair',
    { encryptionContextEquals: { a: '1', b: '2' } },
    { a: '1' },
    false,
  ],
  ['Equals refuses an empty context', { encryptionContextEquals: { a: '1' } }, {}, false],
  ['Equals refuses another value', { encryptionContextEquals: { a: '1' } }, { a: '2' }, false],
  [
    'Equals compares keys case-insensitively',
    { encryptionContextEquals: { Tenant: 'x' } },
    { tENANT: 'x' },
    true,
  ],
  [
    'Equals compares values case-sensitively',
    { encryptionContextEquals: { a: 'X' } },
    { a: 'x' },
    false,
  ],
  [
    'Equals of an empty map allows only an empty context',
    { encryptionContextEquals: {} },
    {},
    true,
  ],
  ['Equals of an empty map refuses any pair', { encryptionContextEquals: {} }, { a: '1' }, false],
  [
    'Equals refuses two request keys that fold to one constraint key',
    { encryptionContextEquals: { a: '1' } },
    { a: '1', A: '1' },
    false,
  ],
  ['Subset allows the exact pairs', { encryptionContextSubset: { a: '1' } }, { a: '1' }, true],
  ['Subset allows extra pairs', { encryptionContextSubset: { a: '1' } }, { a: '1', b: '2' }, true],
  [
    'Subset refuses a missing pair',
    { encryptionContextSubset: { a: '1', b: '2' } },
    { a: '1', c: '3' },
    false,
  ],
  ['Subset refuses another value', { encryptionContextSubset: { a: '1' } }, { a: '10' }, false],
  [
    'Subset compares keys case-insensitively',
    { encryptionContextSubset: { KEY: 'v' } },
    { key: 'v', z: 'z' },
    true,
  ],
  [
    'Subset compares values case-sensitively',
    { encryptionContextSubset: { k: 'v' } },
    { k: 'V' },
    false,
  ],
  ['Subset of an empty map allows any context', { encryptionContextSubset: {} }, { a: '1' }, true],
  ['Subset refuses an empty context', { encryptionContextSubset: { a: '1' } }, {}, false],
  [
    'Equals and Subset together need both',
    { encryptionContextEquals: { a: '1', b: '2' }, encryptionContextSubset: { a: '1' } },
    { a: '1', b: '2' },
    true,
  ],
  [
    'Equals and Subset together refuse when the subset is not met',
    { encryptionContextEquals: { a: '1' }, encryptionContextSubset: { b: '2' } },
    { a: '1' },
    false,
  ],
];

describe('grant encryption-context constraint matching', () => {
  it.each(matching)('%s', (_name, constraints, context, expected) => {
    expect(contextSatisfies(constraints, context)).toBe(expected);
  });
});

type StrictRow = [string, GrantConstraints | undefined, GrantConstraints | undefined, boolean];

const strictness: StrictRow[] = [
  [
    'anything is as strict as no constraint',
    { encryptionContextSubset: { a: '1' } },
    undefined,
    true,
  ],
  ['no constraint is as strict as no constraint', undefined, undefined, true],
  [
    'no constraint is looser than a subset',
    undefined,
    { encryptionContextSubset: { a: '1' } },
    false,
  ],
  [
    'no constraint is looser than equals',
    undefined,
    { encryptionContextEquals: { a: '1' } },
    false,
  ],
  [
    'the same subset is as strict',
    { encryptionContextSubset: { a: '1' } },
    { encryptionContextSubset: { a: '1' } },
    true,
  ],
  [
    'a larger subset is stricter',
    { encryptionContextSubset: { a: '1', b: '2' } },
    { encryptionContextSubset: { a: '1' } },
    true,
  ],
  [
    'a smaller subset is looser',
    { encryptionContextSubset: { a: '1' } },
    { encryptionContextSubset: { a: '1', b: '2' } },
    false,
  ],
  [
    'a subset with another value is not as strict',
    { encryptionContextSubset: { a: '2' } },
    { encryptionContextSubset: { a: '1' } },
    false,
  ],
  [
    'equals containing the parent subset is stricter',
    { encryptionContextEquals: { a: '1', b: '2' } },
    { encryptionContextSubset: { a: '1' } },
    true,
  ],
  [
    'equals missing the parent subset is not as strict',
    { encryptionContextEquals: { b: '2' } },
    { encryptionContextSubset: { a: '1' } },
    false,
  ],
  [
    'the same equals is as strict',
    { encryptionContextEquals: { a: '1' } },
    { encryptionContextEquals: { a: '1' } },
    true,
  ],
  [
    'equals compares keys case-insensitively when deciding strictness',
    { encryptionContextEquals: { A: '1' } },
    { encryptionContextEquals: { a: '1' } },
    true,
  ],
  [
    'another equals is not as strict',
    { encryptionContextEquals: { a: '1', b: '2' } },
    { encryptionContextEquals: { a: '1' } },
    false,
  ],
  [
    'a subset is looser than equals',
    { encryptionContextSubset: { a: '1' } },
    { encryptionContextEquals: { a: '1' } },
    false,
  ],
  [
    'a missing SourceArn is looser than a SourceArn',
    { encryptionContextSubset: { a: '1' } },
    { sourceArn: 'arn:aws:s3:::bucket', encryptionContextSubset: { a: '1' } },
    false,
  ],
];

describe('equally or more strict grant constraints', () => {
  it.each(strictness)('%s', (_name, child, parent, expected) => {
    expect(isAtLeastAsStrict(child, parent)).toBe(expected);
  });

  it('treats two identical constraint sets as the same and different ones as different', () => {
    expect(sameConstraints(undefined, undefined)).toBe(true);
    expect(
      sameConstraints(
        { encryptionContextEquals: { a: '1' } },
        { encryptionContextEquals: { A: '1' } },
      ),
    ).toBe(true);
    expect(sameConstraints({ encryptionContextSubset: { a: '1' } }, undefined)).toBe(false);
    expect(
      sameConstraints(
        { encryptionContextSubset: { a: '1' } },
        { encryptionContextEquals: { a: '1' } },
      ),
    ).toBe(false);
  });
});
