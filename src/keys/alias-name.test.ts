import { describe, expect, it } from 'vitest';
import { checkAliasName, refuseReservedAlias } from './alias-name.js';
import { keyFamily } from './key-family.js';

function typeOf(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return (err as { type: string }).type;
  }
}

describe('alias names', () => {
  it('accepts names made of letters, digits, slashes, underscores and hyphens', () => {
    for (const name of ['alias/app', 'alias/my-alias_/', 'alias/a/b/c', 'alias/X9'])
      expect(
        typeOf(() => {
          checkAliasName(name);
        }),
      ).toBeUndefined();
  });

  it('requires the alias/ prefix (ValidationException)', () => {
    expect(
      typeOf(() => {
        checkAliasName('app');
      }),
    ).toBe('ValidationException');
    expect(
      typeOf(() => {
        checkAliasName('Alias/app');
      }),
    ).toBe('ValidationException');
  });

  it('requires a name after the prefix (InvalidAliasNameException)', () => {
    expect(
      typeOf(() => {
        checkAliasName('alias/');
      }),
    ).toBe('InvalidAliasNameException');
  });

  it('refuses a colon, which the model pattern admits but AWS does not', () => {
    expect(
      typeOf(() => {
        checkAliasName('alias/a:b');
      }),
    ).toBe('ValidationException');
  });

  it('refuses the reserved alias/aws/ namespace (NotAuthorizedException)', () => {
    expect(
      typeOf(() => {
        refuseReservedAlias('alias/aws/s3');
      }),
    ).toBe('NotAuthorizedException');
    expect(
      typeOf(() => {
        refuseReservedAlias('alias/awsome');
      }),
    ).toBeUndefined();
  });
});

describe('key families for UpdateAlias', () => {
  it('tells symmetric, HMAC and asymmetric key specs apart', () => {
    expect(keyFamily('SYMMETRIC_DEFAULT')).toBe('symmetric');
    expect(keyFamily('HMAC_256')).toBe('HMAC');
    expect(keyFamily('RSA_2048')).toBe('asymmetric');
    expect(keyFamily('ECC_NIST_P256')).toBe('asymmetric');
    expect(keyFamily('ML_DSA_44')).toBe('asymmetric');
  });
});
