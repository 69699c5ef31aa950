import { describe, expect, it } from 'vitest';
import { grantOperationOf, operationsSupportedBy } from './grant-operations.js';

describe('grant operations', () => {
  it('maps kms actions to the grant operation of the same name', () => {
    expect(grantOperationOf('kms:Decrypt')).toBe('Decrypt');
    expect(grantOperationOf('kms:ReEncryptFrom')).toBe('ReEncryptFrom');
    expect(grantOperationOf('kms:GenerateDataKeyPairWithoutPlaintext')).toBe(
      'GenerateDataKeyPairWithoutPlaintext',
    );
    expect(grantOperationOf('kms:CreateGrant')).toBe('CreateGrant');
  });

  it('maps no grant operation to actions a grant cannot allow', () => {
    for (const action of [
      'kms:RevokeGrant',
      'kms:PutKeyPolicy',
      'kms:ReEncrypt*',
      'kms:*',
      'Decrypt',
    ])
      expect(grantOperationOf(action)).toBeUndefined();
  });

  it.each([
    [
      'SYMMETRIC_DEFAULT',
      'ENCRYPT_DECRYPT',
      ['GenerateDataKey', 'ReEncryptTo', 'GenerateDataKeyPair'],
      ['Sign', 'GetPublicKey', 'GenerateMac'],
    ],
    [
      'RSA_2048',
      'ENCRYPT_DECRYPT',
      ['Encrypt', 'Decrypt', 'GetPublicKey'],
      ['GenerateDataKey', 'Sign'],
    ],
    ['RSA_2048', 'SIGN_VERIFY', ['Sign', 'Verify', 'GetPublicKey'], ['Encrypt', 'Decrypt']],
    ['HMAC_256', 'GENERATE_VERIFY_MAC', ['GenerateMac', 'VerifyMac'], ['Encrypt', 'GetPublicKey']],
    ['ECC_NIST_P256', 'KEY_AGREEMENT', ['DeriveSharedSecret', 'GetPublicKey'], ['Sign']],
    ['ML_KEM_768', 'ENCAPSULATE_DECAPSULATE', ['Decapsulate', 'Encapsulate'], ['Decrypt']],
  ])('knows what a %s %s key supports', (spec, usage, yes, no) => {
    const supported = operationsSupportedBy(spec, usage);
    for (const op of ['DescribeKey', 'CreateGrant', 'RetireGrant', ...yes])
      expect(supported).toContain(op);
    for (const op of no) expect(supported).not.toContain(op);
  });
});
