import { describe, expect, it } from 'vitest';
import { compileArnPattern, compileWildcard, splitArn } from './wildcard.js';

describe('compileWildcard', () => {
  it.each([
    ['kms:Encrypt', 'kms:Encrypt', false, true],
    ['kms:Encrypt', 'kms:encrypt', false, false],
    ['kms:Encrypt', 'KMS:ENCRYPT', true, true],
    ['kms:Gen*', 'kms:GenerateDataKey', false, true],
    ['kms:*Key', 'kms:DisableKey', false, true],
    ['kms:*Key', 'kms:DisableKeyRotation', false, false],
    ['a?c', 'abc', false, true],
    ['a?c', 'ac', false, false],
    ['a.c', 'abc', false, false],
    ['(x)+[y]', '(x)+[y]', false, true],
    ['*', '', false, true],
    ['a*b*c', 'a-b-b-c', false, true],
    ['line*', 'line\nbreak', false, true],
  ])('pattern %j against %j (ignoreCase %j) is %j', (pattern, value, ignoreCase, expected) => {
    expect(compileWildcard(pattern, ignoreCase)(value)).toBe(expected);
  });
});

describe('compileArnPattern', () => {
  const key = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd';

  it('matches segment by segment with wildcards', () => {
    expect(compileArnPattern('arn:aws:kms:*:111122223333:key/*')(key)).toBe(true);
    expect(compileArnPattern('arn:aws:kms:*:444455556666:key/*')(key)).toBe(false);
  });

  it('never lets a wildcard span a colon between segments', () => {
    expect(compileArnPattern('arn:aws:kms:*:key/*')(key)).toBe(false);
  });

  it('keeps colons inside the resource segment', () => {
    expect(splitArn('arn:aws:iam::1:role/a:b')).toEqual(['arn', 'aws', 'iam', '', '1', 'role/a:b']);
    expect(splitArn('arn:aws:iam')).toBeUndefined();
  });
});
