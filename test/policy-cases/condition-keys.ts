// Evaluation cases: IfExists, Null, set operators, AND-combination and the condition keys the
// authorizer derives (caller, key properties, tags, aliases, time), in Allow and Deny statements.
import { A, B, type EvalCase, onCondition as c, encryptionContext as ec } from './case.js';

export const conditionKeyCases: readonly EvalCase[] = [
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
];
