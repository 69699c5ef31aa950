// Evaluation cases: the default policy, direct principals, NotPrincipal and identity delegation.
import {
  A,
  ALICE,
  allow,
  aws,
  BOB,
  deny,
  type EvalCase,
  iamAllow,
  KEY_A,
  KEY_B,
  ROLE,
  ROOT_A,
  SESSION,
} from './case.js';

const rootPolicy = [allow(aws(ROOT_A), 'kms:*')];

export const principalCases: readonly EvalCase[] = [
  // Default policy: the account root, and delegation to identity policies.
  {
    name: 'default policy lets the account root use the key',
    key: rootPolicy,
    caller: ROOT_A,
    expect: 'allow',
  },
  {
    name: 'default policy alone does not let a user without identity policy',
    key: rootPolicy,
    expect: 'deny',
  },
  {
    name: 'default policy plus an identity policy allowing the action',
    key: rootPolicy,
    identity: [iamAllow('kms:Decrypt')],
    expect: 'allow',
  },
  {
    name: 'identity policy allowing another action does not help',
    key: rootPolicy,
    identity: [iamAllow('kms:Encrypt')],
    expect: 'deny',
  },
  {
    name: 'identity policy with the key ARN as resource',
    key: rootPolicy,
    identity: [iamAllow('kms:Decrypt', { Resource: KEY_A })],
    expect: 'allow',
  },
  {
    name: 'identity policy naming another key',
    key: rootPolicy,
    identity: [iamAllow('kms:Decrypt', { Resource: KEY_B })],
    expect: 'deny',
  },
  {
    name: 'identity policy with a wildcard key ARN',
    key: rootPolicy,
    identity: [iamAllow('kms:Decrypt', { Resource: `arn:aws:kms:*:${A}:key/*` })],
    expect: 'allow',
  },
  {
    name: 'identity policy with an alias ARN does not cover the key',
    key: rootPolicy,
    identity: [iamAllow('kms:Decrypt', { Resource: `arn:aws:kms:us-east-1:${A}:alias/*` })],
    expect: 'deny',
  },
  {
    name: 'account given as a bare id delegates like its root ARN',
    key: [allow(aws(A), 'kms:*')],
    identity: [iamAllow('kms:*')],
    expect: 'allow',
  },
  {
    name: 'account given as a bare id lets its root in',
    key: [allow(aws(A), 'kms:*')],
    caller: ROOT_A,
    expect: 'allow',
  },
  // Direct principals.
  {
    name: 'key policy naming the user needs no identity policy',
    key: [allow(aws(ALICE), 'kms:Decrypt')],
    expect: 'allow',
  },
  { name: 'key policy naming another user', key: [allow(aws(BOB), 'kms:Decrypt')], expect: 'deny' },
  {
    name: 'key policy naming the user in a list',
    key: [allow(aws(BOB, ALICE), 'kms:Decrypt')],
    expect: 'allow',
  },
  {
    name: 'key policy naming only a user does not let the root in',
    key: [allow(aws(ALICE), 'kms:*')],
    caller: ROOT_A,
    expect: 'deny',
  },
  {
    name: 'Principal "*" allows any caller of the account',
    key: [allow('*', 'kms:Decrypt')],
    expect: 'allow',
  },
  {
    name: 'Principal {"AWS":"*"} allows any caller',
    key: [allow(aws('*'), 'kms:Decrypt')],
    caller: BOB,
    expect: 'allow',
  },
  {
    name: 'a role session matches a key policy naming its role',
    key: [allow(aws(ROLE), 'kms:Decrypt')],
    caller: SESSION,
    expect: 'allow',
  },
  {
    name: 'a role session matches a key policy naming the session',
    key: [allow(aws(SESSION), 'kms:Decrypt')],
    caller: SESSION,
    expect: 'allow',
  },
  {
    name: 'a role session uses the identity policies of its role',
    key: rootPolicy,
    caller: SESSION,
    identity: [iamAllow('kms:Decrypt')],
    expect: 'allow',
  },
  {
    name: 'a service principal never matches a user',
    key: [allow({ Service: 'logs.amazonaws.com' }, 'kms:*')],
    expect: 'deny',
  },
  // NotPrincipal.
  {
    name: 'Deny with NotPrincipal spares a caller listed with its account',
    key: [
      ...rootPolicy,
      allow(aws(ALICE), 'kms:*'),
      deny(undefined, 'kms:*', { Principal: undefined, NotPrincipal: aws(ALICE, ROOT_A) }),
    ].map(strip),
    expect: 'allow',
  },
  {
    name: 'Deny with NotPrincipal listing only the user still denies it',
    key: [
      allow(aws(ALICE), 'kms:*'),
      { Effect: 'Deny', NotPrincipal: aws(ALICE), Action: 'kms:*', Resource: '*' },
    ],
    expect: 'deny',
  },
  {
    name: 'Deny with NotPrincipal denies everyone else',
    key: [
      allow('*', 'kms:*'),
      { Effect: 'Deny', NotPrincipal: aws(ALICE, ROOT_A), Action: 'kms:*', Resource: '*' },
    ],
    caller: BOB,
    expect: 'deny',
  },
  {
    name: 'Allow with NotPrincipal allows those not listed',
    key: [
      { Effect: 'Allow', NotPrincipal: aws(BOB, ROOT_A), Action: 'kms:Decrypt', Resource: '*' },
    ],
    expect: 'allow',
  },
  {
    name: 'Allow with NotPrincipal does not allow a listed caller',
    key: [
      { Effect: 'Allow', NotPrincipal: aws(ALICE, ROOT_A), Action: 'kms:Decrypt', Resource: '*' },
    ],
    expect: 'deny',
  },
];

/** Drops undefined members so a case can reuse a builder and replace Principal with NotPrincipal. */
function strip(st: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(st).filter(([, v]) => v !== undefined));
}
