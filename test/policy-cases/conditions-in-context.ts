// Evaluation cases: IP address conditions on the caller's source address, and conditions in Deny
// statements, identity policies and cross-account statements.
import {
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
  encryptionContext as ec,
} from './case.js';

export const contextCases: readonly EvalCase[] = [
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
