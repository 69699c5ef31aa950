// Evaluation cases: actions, NotAction, resources, explicit deny, cross-account use and operations
// without a key resource.
import {
  A,
  ALICE,
  allow,
  aws,
  B,
  BOB,
  CAROL_B,
  deny,
  type EvalCase,
  iamAllow,
  iamDeny,
  KEY_A,
  KEY_B,
  ROOT_A,
  ROOT_B,
} from './case.js';

const rootPolicy = [allow(aws(ROOT_A), 'kms:*')];

export const actionCases: readonly EvalCase[] = [
  // Actions and wildcards.
  {
    name: 'kms:* covers any action',
    key: [allow(aws(ALICE), 'kms:*')],
    action: 'kms:ScheduleKeyDeletion',
    expect: 'allow',
  },
  {
    name: '"*" covers any action',
    key: [allow(aws(ALICE), '*')],
    action: 'kms:PutKeyPolicy',
    expect: 'allow',
  },
  {
    name: 'actions match case-insensitively',
    key: [allow(aws(ALICE), 'KMS:decrypt')],
    expect: 'allow',
  },
  {
    name: 'prefix wildcard kms:GenerateDataKey* covers the pair operation',
    key: [allow(aws(ALICE), 'kms:GenerateDataKey*')],
    action: 'kms:GenerateDataKeyPairWithoutPlaintext',
    expect: 'allow',
  },
  {
    name: 'prefix wildcard does not cover other actions',
    key: [allow(aws(ALICE), 'kms:GenerateDataKey*')],
    action: 'kms:Encrypt',
    expect: 'deny',
  },
  {
    name: 'inner wildcard kms:*Key covers DisableKey',
    key: [allow(aws(ALICE), 'kms:*Key')],
    action: 'kms:DisableKey',
    expect: 'allow',
  },
  {
    name: 'question mark matches exactly one character',
    key: [allow(aws(ALICE), 'kms:?ncrypt')],
    action: 'kms:Encrypt',
    expect: 'allow',
  },
  {
    name: 'question mark does not match two characters',
    key: [allow(aws(ALICE), 'kms:?crypt')],
    action: 'kms:Decrypt',
    expect: 'deny',
  },
  {
    name: 'another service action does not cover kms',
    key: [allow(aws(ALICE), 's3:*')],
    expect: 'deny',
  },
  {
    name: 'NotAction allows every other action',
    key: [{ Effect: 'Allow', Principal: aws(ALICE), NotAction: 'kms:Decrypt', Resource: '*' }],
    action: 'kms:Encrypt',
    expect: 'allow',
  },
  {
    name: 'NotAction does not allow the listed action',
    key: [
      {
        Effect: 'Allow',
        Principal: aws(ALICE),
        NotAction: ['kms:Decrypt', 'kms:Encrypt'],
        Resource: '*',
      },
    ],
    expect: 'deny',
  },
  {
    name: 'Deny with NotAction denies administration but not use',
    key: [
      allow(aws(ALICE), 'kms:*'),
      {
        Effect: 'Deny',
        Principal: aws(ALICE),
        NotAction: ['kms:Encrypt', 'kms:Decrypt'],
        Resource: '*',
      },
    ],
    action: 'kms:DisableKey',
    expect: 'deny',
  },
  {
    name: 'Deny with NotAction leaves the listed actions allowed',
    key: [
      allow(aws(ALICE), 'kms:*'),
      {
        Effect: 'Deny',
        Principal: aws(ALICE),
        NotAction: ['kms:Encrypt', 'kms:Decrypt'],
        Resource: '*',
      },
    ],
    expect: 'allow',
  },
  // Resources in key policies.
  {
    name: 'Resource naming this key',
    key: [allow(aws(ALICE), 'kms:*', { Resource: KEY_A })],
    expect: 'allow',
  },
  {
    name: 'Resource naming another key',
    key: [allow(aws(ALICE), 'kms:*', { Resource: KEY_B })],
    expect: 'deny',
  },
  {
    name: 'NotResource naming another key',
    key: [{ Effect: 'Allow', Principal: aws(ALICE), Action: 'kms:*', NotResource: KEY_B }],
    expect: 'allow',
  },
  {
    name: 'a statement without Resource has no effect',
    key: [{ Effect: 'Allow', Principal: aws(ALICE), Action: 'kms:*' }],
    expect: 'deny',
  },
  {
    name: 'a statement without Action has no effect',
    key: [{ Effect: 'Allow', Principal: aws(ALICE), Resource: '*' }],
    expect: 'deny',
  },
  // Explicit deny.
  {
    name: 'explicit deny in the key policy beats a direct allow',
    key: [allow(aws(ALICE), 'kms:*'), deny(aws(ALICE), 'kms:Decrypt')],
    expect: 'deny',
  },
  {
    name: 'explicit deny for the account applies to its users',
    key: [allow(aws(ALICE), 'kms:*'), deny(aws(ROOT_A), 'kms:Decrypt')],
    expect: 'deny',
  },
  {
    name: 'explicit deny to "*" beats the root',
    key: [allow(aws(ROOT_A), 'kms:*'), deny('*', 'kms:Decrypt')],
    caller: ROOT_A,
    expect: 'deny',
  },
  {
    name: 'explicit deny in an identity policy beats the key policy',
    key: [allow(aws(ALICE), 'kms:*')],
    identity: [iamDeny('kms:Decrypt')],
    expect: 'deny',
  },
  {
    name: 'explicit deny in an identity policy beats its own allow',
    key: rootPolicy,
    identity: [iamAllow('kms:*'), iamDeny('kms:Decrypt')],
    expect: 'deny',
  },
  {
    name: 'deny of another action leaves this one allowed',
    key: [allow(aws(ALICE), 'kms:*'), deny(aws(ALICE), 'kms:Encrypt')],
    expect: 'allow',
  },
  {
    name: 'deny for another user leaves this one allowed',
    key: [allow('*', 'kms:*'), deny(aws(BOB), 'kms:*')],
    expect: 'allow',
  },
  // Cross-account.
  {
    name: 'cross-account: key policy and caller identity policy both allow',
    keyArn: KEY_A,
    key: [allow(aws(ROOT_A), 'kms:*'), allow(aws(B), 'kms:Decrypt')],
    caller: CAROL_B,
    identity: [iamAllow('kms:Decrypt', { Resource: KEY_A })],
    expect: 'allow',
  },
  {
    name: 'cross-account: key policy allows, no identity policy',
    key: [allow(aws(ROOT_B), 'kms:Decrypt')],
    caller: CAROL_B,
    expect: 'deny',
  },
  {
    name: 'cross-account: identity policy allows, key policy does not',
    key: rootPolicy,
    caller: CAROL_B,
    identity: [iamAllow('kms:*')],
    expect: 'deny',
  },
  {
    name: 'cross-account: naming the user directly still needs its identity policy',
    key: [allow(aws(CAROL_B), 'kms:Decrypt')],
    caller: CAROL_B,
    expect: 'deny',
  },
  {
    name: 'cross-account: naming the user directly with its identity policy',
    key: [allow(aws(CAROL_B), 'kms:Decrypt')],
    caller: CAROL_B,
    identity: [iamAllow('kms:Decrypt')],
    expect: 'allow',
  },
  {
    name: 'cross-account: the other account root needs only the key policy',
    key: [allow(aws(ROOT_B), 'kms:Decrypt')],
    caller: ROOT_B,
    expect: 'allow',
  },
  {
    name: 'cross-account: "*" in the key policy still needs the identity policy',
    key: [allow('*', 'kms:Decrypt')],
    caller: CAROL_B,
    expect: 'deny',
  },
  {
    name: 'cross-account: the key policy allows another action only',
    key: [allow(aws(ROOT_B), 'kms:Encrypt')],
    caller: CAROL_B,
    identity: [iamAllow('kms:*')],
    expect: 'deny',
  },
  {
    name: 'cross-account: the caller explicit deny wins',
    key: [allow(aws(ROOT_B), 'kms:*')],
    caller: CAROL_B,
    identity: [iamAllow('kms:*'), iamDeny('kms:Decrypt', { Resource: KEY_A })],
    expect: 'deny',
  },
  {
    name: 'cross-account: a key in the caller account is not affected by another account',
    keyArn: KEY_B,
    key: [allow(aws(CAROL_B), 'kms:Decrypt')],
    caller: CAROL_B,
    expect: 'allow',
  },
  // Operations without a key resource.
  {
    name: 'CreateKey allowed by an identity policy',
    action: 'kms:CreateKey',
    identity: [iamAllow('kms:CreateKey')],
    expect: 'allow',
  },
  { name: 'CreateKey without an identity policy', action: 'kms:CreateKey', expect: 'deny' },
  {
    name: 'CreateKey needs Resource "*" in the identity policy',
    action: 'kms:CreateKey',
    identity: [iamAllow('kms:CreateKey', { Resource: `arn:aws:kms:*:${A}:key/*` })],
    expect: 'deny',
  },
  {
    name: 'the account root may CreateKey without identity policies',
    action: 'kms:CreateKey',
    caller: ROOT_A,
    expect: 'allow',
  },
  {
    name: 'ListKeys denied explicitly',
    action: 'kms:ListKeys',
    identity: [iamAllow('kms:*'), iamDeny('kms:List*')],
    expect: 'deny',
  },
  {
    name: 'GenerateRandom allowed by kms:*',
    action: 'kms:GenerateRandom',
    identity: [iamAllow('kms:*')],
    expect: 'allow',
  },
];
