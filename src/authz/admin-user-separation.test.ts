// The separation a key policy exists for, decided by the real authorizer: key administrators manage
// the key but cannot use it, key users use it but cannot manage it, an explicit deny beats every
// allow, and another account gets in only when both sides allow.
import { describe, expect, it } from 'vitest';
import type { AuthorizationRequest } from './authorizer.js';
import { createPolicyAuthorizer } from './policy-authorizer.js';
import { FakePrincipalDirectory } from '../../test/fakes/fake-principal-directory.js';

const A = '111122223333';
const B = '444455556666';
const ADMIN = `arn:aws:iam::${A}:role/KeyAdmin`;
const USER = `arn:aws:iam::${A}:user/app`;
const AUDITOR = `arn:aws:iam::${A}:user/auditor`;
const PARTNER = `arn:aws:iam::${B}:user/partner`;
const OUTSIDER = `arn:aws:iam::${B}:user/outsider`;
const KEY = `arn:aws:kms:us-east-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

const ADMIN_ACTIONS = [
  'kms:CreateKey',
  'kms:DescribeKey',
  'kms:DisableKey',
  'kms:EnableKey',
  'kms:EnableKeyRotation',
  'kms:RotateKeyOnDemand',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:PutKeyPolicy',
  'kms:GetKeyPolicy',
];
const USE_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom'];

const keyPolicy = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Allow access for Key Administrators',
      Effect: 'Allow',
      Principal: { AWS: ADMIN },
      Action: [
        'kms:Create*',
        'kms:Describe*',
        'kms:Enable*',
        'kms:List*',
        'kms:Put*',
        'kms:Update*',
        'kms:Revoke*',
        'kms:Disable*',
        'kms:Get*',
        'kms:Delete*',
        'kms:RotateKeyOnDemand',
        'kms:ScheduleKeyDeletion',
        'kms:CancelKeyDeletion',
      ],
      Resource: '*',
    },
    {
      Sid: 'Allow use of the key',
      Effect: 'Allow',
      Principal: { AWS: [USER, AUDITOR] },
      Action: [
        'kms:Encrypt',
        'kms:Decrypt',
        'kms:ReEncrypt*',
        'kms:GenerateDataKey*',
        'kms:DescribeKey',
      ],
      Resource: '*',
    },
    {
      Sid: 'The auditor never decrypts',
      Effect: 'Deny',
      Principal: { AWS: AUDITOR },
      Action: 'kms:Decrypt',
      Resource: '*',
    },
    {
      Sid: 'Partner account may encrypt',
      Effect: 'Allow',
      Principal: { AWS: B },
      Action: ['kms:Encrypt', 'kms:DescribeKey'],
      Resource: '*',
    },
  ],
});

const allowAllKms = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }],
});

const directory = new FakePrincipalDirectory()
  .add(ADMIN, { policies: [allowAllKms] })
  .add(USER)
  .add(AUDITOR, { policies: [allowAllKms] })
  .add(PARTNER, { policies: [allowAllKms] })
  .add(OUTSIDER);
const authorizer = createPolicyAuthorizer({ directory, partition: 'aws' });

function decision(arn: string, action: string): 'allow' | 'deny' {
  const noKey = action === 'kms:CreateKey';
  const request: AuthorizationRequest = {
    caller: { arn, accountId: arn.split(':')[4] ?? '' },
    action,
    ...(noKey
      ? {}
      : { resource: { arn: KEY, accountId: A, policy: keyPolicy, tags: [], keyId: 'k' } }),
  };
  try {
    authorizer.authorize(request);
    return 'allow';
  } catch {
    return 'deny';
  }
}

describe('administrators and users of one key', () => {
  it.each(ADMIN_ACTIONS)('lets the administrator %s', (action) => {
    expect(decision(ADMIN, action)).toBe('allow');
  });

  it.each(USE_ACTIONS)(
    'refuses the administrator %s, though its identity policy allows kms:*',
    (action) => {
      expect(decision(ADMIN, action)).toBe('deny');
    },
  );

  it.each(USE_ACTIONS)('lets the user %s', (action) => {
    expect(decision(USER, action)).toBe('allow');
  });

  it.each(ADMIN_ACTIONS)('refuses the user %s', (action) => {
    const expected = action === 'kms:DescribeKey' ? 'allow' : 'deny';
    expect(decision(USER, action)).toBe(expected);
  });

  it('lets an explicit deny beat both the key policy and an identity policy allowing kms:*', () => {
    expect(decision(AUDITOR, 'kms:Encrypt')).toBe('allow');
    expect(decision(AUDITOR, 'kms:Decrypt')).toBe('deny');
  });

  it('lets another account encrypt when the key policy and its identity policy both allow', () => {
    expect(decision(PARTNER, 'kms:Encrypt')).toBe('allow');
    expect(decision(PARTNER, 'kms:Decrypt')).toBe('deny');
  });

  it('refuses another account principal whose identity policy does not allow', () => {
    expect(decision(OUTSIDER, 'kms:Encrypt')).toBe('deny');
  });
});
