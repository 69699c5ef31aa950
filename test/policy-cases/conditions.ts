// Evaluation cases: condition operators, IfExists, Null, set operators and the condition keys the
// authorizer derives (caller, key properties, tags, aliases, time, source IP).
import {
  A,
  ALICE,
  allow,
  aws,
  B,
  CAROL_B,
  deny,
  type EvalCase,
  iamAllow,
  KEY_A,
  onCondition as c,
  ROOT_A,
  ROOT_B,
} from './case.js';

const ec = (context: Record<string, string>) => ({
  ...Object.fromEntries(Object.entries(context).map(([k, v]) => [`kms:EncryptionContext:${k}`, v])),
  'kms:EncryptionContextKeys': Object.keys(context),
});

export const conditionCases: readonly EvalCase[] = [
  // String operators.
  c(
    'StringEquals matches an equal value',
    { StringEquals: { 'kms:EncryptionContext:app': 'billing' } },
    ec({ app: 'billing' }),
    'allow',
  ),
  c(
    'StringEquals refuses another value',
    { StringEquals: { 'kms:EncryptionContext:app': 'billing' } },
    ec({ app: 'payroll' }),
    'deny',
  ),
  c(
    'StringEquals compares values case-sensitively',
    { StringEquals: { 'kms:EncryptionContext:app': 'billing' } },
    ec({ app: 'Billing' }),
    'deny',
  ),
  c(
    'StringEquals refuses a missing key',
    { StringEquals: { 'kms:EncryptionContext:app': 'billing' } },
    undefined,
    'deny',
  ),
  c(
    'StringEquals with a list of values matches any',
    { StringEquals: { 'kms:EncryptionContext:app': ['payroll', 'billing'] } },
    ec({ app: 'billing' }),
    'allow',
  ),
  c(
    'condition key names ignore case, including the context key',
    { StringEquals: { 'KMS:ENCRYPTIONCONTEXT:APP': 'billing' } },
    ec({ app: 'billing' }),
    'allow',
  ),
  c(
    'StringNotEquals matches another value',
    { StringNotEquals: { 'kms:EncryptionContext:app': 'billing' } },
    ec({ app: 'payroll' }),
    'allow',
  ),
  c(
    'StringNotEquals refuses the listed value',
    { StringNotEquals: { 'kms:EncryptionContext:app': ['billing', 'hr'] } },
    ec({ app: 'hr' }),
    'deny',
  ),
  c(
    'StringNotEquals matches when the key is missing',
    { StringNotEquals: { 'kms:EncryptionContext:app': 'billing' } },
    undefined,
    'allow',
  ),
  c(
    'StringEqualsIgnoreCase ignores the value case',
    { StringEqualsIgnoreCase: { 'kms:EncryptionContext:app': 'BILLING' } },
    ec({ app: 'billing' }),
    'allow',
  ),
  c(
    'StringNotEqualsIgnoreCase refuses a case variant',
    { StringNotEqualsIgnoreCase: { 'kms:EncryptionContext:app': 'BILLING' } },
    ec({ app: 'billing' }),
    'deny',
  ),
  c(
    'StringLike with a trailing wildcard',
    { StringLike: { 'kms:EncryptionContext:path': 'reports/*' } },
    ec({ path: 'reports/2026/q1' }),
    'allow',
  ),
  c(
    'StringLike with a question mark',
    { StringLike: { 'kms:EncryptionContext:env': 'prod-?' } },
    ec({ env: 'prod-1' }),
    'allow',
  ),
  c(
    'StringLike refuses a non-matching value',
    { StringLike: { 'kms:EncryptionContext:path': 'reports/*' } },
    ec({ path: 'invoices/1' }),
    'deny',
  ),
  c(
    'StringLike is case-sensitive',
    { StringLike: { 'kms:EncryptionContext:path': 'reports/*' } },
    ec({ path: 'Reports/1' }),
    'deny',
  ),
  c(
    'StringNotLike refuses a matching value',
    { StringNotLike: { 'kms:EncryptionContext:path': 'secret/*' } },
    ec({ path: 'secret/x' }),
    'deny',
  ),
  c(
    'StringNotLike allows a non-matching value',
    { StringNotLike: { 'kms:EncryptionContext:path': 'secret/*' } },
    ec({ path: 'public/x' }),
    'allow',
  ),
  c(
    'kms:EncryptionAlgorithm StringEquals',
    { StringEquals: { 'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT' } },
    { 'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT' },
    'allow',
  ),
  c(
    'kms:RequestAlias StringLike',
    { StringLike: { 'kms:RequestAlias': 'alias/app-*' } },
    { 'kms:RequestAlias': 'alias/app-prod' },
    'allow',
  ),
  c(
    'kms:RequestAlias missing when the key id was used',
    { StringLike: { 'kms:RequestAlias': 'alias/app-*' } },
    undefined,
    'deny',
  ),
  // Numeric, Date, Bool, Binary.
  c(
    'NumericLessThanEquals within the limit',
    { NumericLessThanEquals: { 'kms:ScheduleKeyDeletionPendingWindowInDays': 30 } },
    { 'kms:ScheduleKeyDeletionPendingWindowInDays': 7 },
    'allow',
  ),
  c(
    'NumericGreaterThanEquals below the limit',
    { NumericGreaterThanEquals: { 'kms:ScheduleKeyDeletionPendingWindowInDays': '14' } },
    { 'kms:ScheduleKeyDeletionPendingWindowInDays': 7 },
    'deny',
  ),
  c(
    'NumericEquals',
    { NumericEquals: { 'kms:RotationPeriodInDays': 365 } },
    { 'kms:RotationPeriodInDays': 365 },
    'allow',
  ),
  c(
    'NumericNotEquals',
    { NumericNotEquals: { 'kms:RotationPeriodInDays': 365 } },
    { 'kms:RotationPeriodInDays': 365 },
    'deny',
  ),
  c(
    'NumericLessThan',
    { NumericLessThan: { 'kms:RotationPeriodInDays': 100 } },
    { 'kms:RotationPeriodInDays': 90 },
    'allow',
  ),
  c(
    'NumericGreaterThan',
    { NumericGreaterThan: { 'kms:RotationPeriodInDays': 100 } },
    { 'kms:RotationPeriodInDays': 90 },
    'deny',
  ),
  c(
    'DateLessThan before the date',
    { DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } },
    undefined,
    'allow',
  ),
  c(
    'DateGreaterThan before the date',
    { DateGreaterThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } },
    undefined,
    'deny',
  ),
  c(
    'DateGreaterThanEquals with epoch seconds',
    { DateGreaterThanEquals: { 'aws:CurrentTime': '1700000000' } },
    undefined,
    'allow',
  ),
  c(
    'DateEquals against aws:EpochTime',
    { DateEquals: { 'aws:EpochTime': '1800000000' } },
    undefined,
    'allow',
  ),
  c(
    'DateNotEquals',
    { DateNotEquals: { 'aws:CurrentTime': '2027-01-16T00:00:00Z' } },
    undefined,
    'allow',
  ),
  c(
    'DateLessThanEquals',
    { DateLessThanEquals: { 'aws:CurrentTime': '2020-01-01' } },
    undefined,
    'deny',
  ),
  c(
    'Bool true for BypassPolicyLockoutSafetyCheck',
    { Bool: { 'kms:BypassPolicyLockoutSafetyCheck': 'true' } },
    { 'kms:BypassPolicyLockoutSafetyCheck': true },
    'allow',
  ),
  c(
    'Bool refuses a different value',
    { Bool: { 'kms:BypassPolicyLockoutSafetyCheck': true } },
    { 'kms:BypassPolicyLockoutSafetyCheck': false },
    'deny',
  ),
  c(
    'Bool aws:SecureTransport false over plain HTTP',
    { Bool: { 'aws:SecureTransport': 'false' } },
    undefined,
    'allow',
  ),
  c(
    'BinaryEquals compares base64',
    { BinaryEquals: { 'kms:RecipientAttestation:ImageSha384': 'AAEC' } },
    { 'kms:RecipientAttestation:ImageSha384': 'AAEC' },
    'allow',
  ),
  // Arn operators.
  c(
    'ArnLike on aws:PrincipalArn',
    { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${A}:user/al*` } },
    undefined,
    'allow',
  ),
  c(
    'ArnEquals on aws:PrincipalArn',
    { ArnEquals: { 'aws:PrincipalArn': ALICE } },
    undefined,
    'allow',
  ),
  c(
    'ArnLike wildcards stay inside one segment',
    { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*' } },
    undefined,
    'deny',
  ),
  c(
    'ArnNotLike refuses a matching ARN',
    { ArnNotLike: { 'aws:PrincipalArn': `arn:aws:iam::${A}:user/*` } },
    undefined,
    'deny',
  ),
  c(
    'ArnNotEquals allows another ARN',
    { ArnNotEquals: { 'aws:PrincipalArn': `arn:aws:iam::${A}:user/bob` } },
    undefined,
    'allow',
  ),
  // IP addresses.
  c(
    'IpAddress inside the CIDR block',
    { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
    undefined,
    'allow',
    { sourceIp: '10.1.2.3' },
  ),
  c(
    'IpAddress outside the CIDR block',
    { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
    undefined,
    'deny',
    { sourceIp: '192.168.1.1' },
  ),
  c(
    'IpAddress with an IPv4-mapped IPv6 caller',
    { IpAddress: { 'aws:SourceIp': '127.0.0.1/32' } },
    undefined,
    'allow',
    { sourceIp: '::ffff:127.0.0.1' },
  ),
  c('IpAddress with IPv6', { IpAddress: { 'aws:SourceIp': '2001:db8::/32' } }, undefined, 'allow', {
    sourceIp: '2001:db8::7',
  }),
  c(
    'NotIpAddress inside the block',
    { NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '172.16.0.0/12'] } },
    undefined,
    'deny',
    { sourceIp: '172.16.5.4' },
  ),
  c(
    'NotIpAddress outside the block',
    { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
    undefined,
    'allow',
    { sourceIp: '8.8.8.8' },
  ),
  // IfExists and Null.
  c(
    'StringEqualsIfExists matches when the key is missing',
    { StringEqualsIfExists: { 'kms:EncryptionContext:app': 'billing' } },
    undefined,
    'allow',
  ),
  c(
    'StringEqualsIfExists checks a present key',
    { StringEqualsIfExists: { 'kms:EncryptionContext:app': 'billing' } },
    ec({ app: 'hr' }),
    'deny',
  ),
  c(
    'NumericLessThanIfExists with the key missing',
    { NumericLessThanIfExists: { 'kms:RotationPeriodInDays': 10 } },
    undefined,
    'allow',
  ),
  c(
    'ArnLikeIfExists with a present non-matching key',
    { ArnLikeIfExists: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/*' } },
    undefined,
    'deny',
  ),
  c(
    'Null true when the key is absent',
    { Null: { 'kms:EncryptionContext:app': 'true' } },
    undefined,
    'allow',
  ),
  c(
    'Null true refuses a present key',
    { Null: { 'kms:EncryptionContext:app': 'true' } },
    ec({ app: 'x' }),
    'deny',
  ),
  c(
    'Null false requires the key',
    { Null: { 'kms:EncryptionContextKeys': 'false' } },
    undefined,
    'deny',
  ),
  c(
    'Null false with an encryption context',
    { Null: { 'kms:EncryptionContextKeys': 'false' } },
    ec({ app: 'x' }),
    'allow',
  ),
  // Set operators on multi-valued keys.
  c(
    'ForAllValues:StringEquals with every key listed',
    { 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['app', 'env'] } },
    ec({ app: 'a' }),
    'allow',
  ),
  c(
    'ForAllValues:StringEquals with an extra key',
    { 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['app'] } },
    ec({ app: 'a', env: 'p' }),
    'deny',
  ),
  c(
    'ForAllValues matches when the key is missing',
    { 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['app'] } },
    undefined,
    'allow',
  ),
  c(
    'ForAllValues compares keys case-sensitively',
    { 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['app'] } },
    ec({ App: 'a' }),
    'deny',
  ),
  c(
    'ForAnyValue:StringEquals with one listed key',
    { 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': ['app'] } },
    ec({ app: 'a', x: 'y' }),
    'allow',
  ),
  c(
    'ForAnyValue:StringEquals with no listed key',
    { 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': ['app'] } },
    ec({ x: 'y' }),
    'deny',
  ),
  c(
    'ForAnyValue fails when the key is missing',
    { 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': ['app'] } },
    undefined,
    'deny',
  ),
  c(
    'ForAnyValue:StringLike on aws:TagKeys',
    { 'ForAnyValue:StringLike': { 'aws:TagKeys': 'cost-*' } },
    { 'aws:TagKeys': ['owner', 'cost-center'] },
    'allow',
  ),
  c(
    'ForAllValues:StringNotEquals refuses a listed value',
    { 'ForAllValues:StringNotEquals': { 'aws:TagKeys': 'owner' } },
    { 'aws:TagKeys': ['owner', 'x'] },
    'deny',
  ),
  c(
    'ForAnyValue:StringNotLike with one unlisted value',
    { 'ForAnyValue:StringNotLike': { 'aws:TagKeys': 'cost-*' } },
    { 'aws:TagKeys': ['cost-a', 'owner'] },
    'allow',
  ),
  c(
    'ForAnyValue:StringEqualsIfExists with the key missing',
    { 'ForAnyValue:StringEqualsIfExists': { 'kms:GrantOperations': 'Decrypt' } },
    undefined,
    'allow',
  ),
  c(
    'ForAllValues:StringEquals on kms:GrantOperations',
    { 'ForAllValues:StringEquals': { 'kms:GrantOperations': ['Decrypt', 'Encrypt'] } },
    { 'kms:GrantOperations': ['Decrypt', 'RetireGrant'] },
    'deny',
  ),
  // Several operators and keys combine with AND.
  c(
    'two operators must both hold',
    {
      StringEquals: { 'kms:EncryptionContext:app': 'billing' },
      Bool: { 'aws:SecureTransport': 'true' },
    },
    ec({ app: 'billing' }),
    'deny',
  ),
  c(
    'two keys under one operator must both hold',
    {
      StringEquals: { 'kms:EncryptionContext:app': 'billing', 'kms:EncryptionContext:env': 'prod' },
    },
    ec({ app: 'billing', env: 'prod' }),
    'allow',
  ),
  // Keys the authorizer derives.
  c('kms:CallerAccount', { StringEquals: { 'kms:CallerAccount': A } }, undefined, 'allow'),
  c(
    'aws:PrincipalAccount of another account',
    { StringEquals: { 'aws:PrincipalAccount': B } },
    undefined,
    'deny',
  ),
  c(
    'aws:PrincipalTag from the directory',
    { StringEquals: { 'aws:PrincipalTag/team': 'payments' } },
    undefined,
    'allow',
    { principalTags: { team: 'payments' } },
  ),
  c(
    'aws:PrincipalTag missing',
    { StringEquals: { 'aws:PrincipalTag/team': 'payments' } },
    undefined,
    'deny',
  ),
  c(
    'aws:ResourceTag of the key',
    { StringEquals: { 'aws:ResourceTag/env': 'prod' } },
    undefined,
    'allow',
    { tags: { env: 'prod' } },
  ),
  c(
    'aws:ResourceTag with another value',
    { StringEquals: { 'aws:ResourceTag/env': 'prod' } },
    undefined,
    'deny',
    { tags: { env: 'dev' } },
  ),
  c(
    'kms:ResourceAliases of the key',
    { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/finance' } },
    undefined,
    'allow',
    { aliases: ['alias/finance', 'alias/x'] },
  ),
  c(
    'kms:KeySpec of the key',
    { StringEquals: { 'kms:KeySpec': 'SYMMETRIC_DEFAULT' } },
    undefined,
    'allow',
  ),
  c(
    'kms:KeyUsage of the key',
    { StringEquals: { 'kms:KeyUsage': 'SIGN_VERIFY' } },
    undefined,
    'deny',
  ),
  c(
    'kms:KeyOrigin of the key',
    { StringEquals: { 'kms:KeyOrigin': 'AWS_KMS' } },
    undefined,
    'allow',
  ),
  c(
    'kms:ViaService is never present in Trent',
    { StringLike: { 'kms:ViaService': '*.amazonaws.com' } },
    undefined,
    'deny',
  ),
  // Conditions on Deny statements and in identity policies.
  {
    name: 'conditional deny applies when its condition holds',
    key: [
      allow(aws(ALICE), 'kms:*'),
      deny('*', 'kms:Decrypt', {
        Condition: { StringEquals: { 'kms:EncryptionContext:class': 'secret' } },
      }),
    ],
    conditions: ec({ class: 'secret' }),
    expect: 'deny',
  },
  {
    name: 'conditional deny does not apply otherwise',
    key: [
      allow(aws(ALICE), 'kms:*'),
      deny('*', 'kms:Decrypt', {
        Condition: { StringEquals: { 'kms:EncryptionContext:class': 'secret' } },
      }),
    ],
    conditions: ec({ class: 'public' }),
    expect: 'allow',
  },
  {
    name: 'deny unless the encryption context is given (Null)',
    key: [
      allow(aws(ALICE), 'kms:*'),
      deny('*', 'kms:Encrypt', { Condition: { Null: { 'kms:EncryptionContextKeys': 'true' } } }),
    ],
    action: 'kms:Encrypt',
    expect: 'deny',
  },
  {
    name: 'identity policy condition on kms:EncryptionContext',
    key: [allow(aws(ROOT_A), 'kms:*')],
    identity: [
      iamAllow('kms:Decrypt', {
        Condition: { StringEquals: { 'kms:EncryptionContext:app': 'billing' } },
      }),
    ],
    conditions: ec({ app: 'billing' }),
    expect: 'allow',
  },
  {
    name: 'cross-account allowed only for one encryption context',
    key: [
      allow(aws(ROOT_B), 'kms:Decrypt', {
        Condition: { StringEquals: { 'kms:EncryptionContext:app': 'shared' } },
      }),
    ],
    caller: CAROL_B,
    identity: [iamAllow('kms:Decrypt', { Resource: KEY_A })],
    conditions: ec({ app: 'private' }),
    expect: 'deny',
  },
  {
    name: 'cross-account kms:CallerAccount condition',
    key: [
      allow(aws(ROOT_A), 'kms:*'),
      allow('*', 'kms:Decrypt', { Condition: { StringEquals: { 'kms:CallerAccount': B } } }),
    ],
    caller: ROOT_B,
    expect: 'allow',
  },
  {
    name: 'aws:PrincipalArn condition on the account root',
    key: [allow('*', 'kms:*', { Condition: { ArnEquals: { 'aws:PrincipalArn': ROOT_A } } })],
    caller: ROOT_A,
    expect: 'allow',
  },
];
