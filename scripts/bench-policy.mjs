// Micro-benchmark of one hot-path authorization (a user Decrypts with an encryption context under a
// four-statement key policy and one identity policy). Run after `npm run build`:
//   node scripts/bench-policy.mjs
import { createPolicyAuthorizer } from '../dist/src/authz/policy-authorizer.js';

const acct = '111122223333';
const alice = `arn:aws:iam::${acct}:user/alice`;
const keyArn = `arn:aws:kms:us-east-1:${acct}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const keyPolicy = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'root',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${acct}:root` },
      Action: 'kms:*',
      Resource: '*',
    },
    {
      Sid: 'admins',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${acct}:role/admin` },
      Action: [
        'kms:Create*',
        'kms:Describe*',
        'kms:Enable*',
        'kms:Put*',
        'kms:Disable*',
        'kms:ScheduleKeyDeletion',
      ],
      Resource: '*',
    },
    {
      Sid: 'users',
      Effect: 'Allow',
      Principal: { AWS: alice },
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: { StringEquals: { 'kms:EncryptionContext:app': 'billing' } },
    },
    {
      Sid: 'deny',
      Effect: 'Deny',
      Principal: '*',
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { StringEquals: { 'kms:EncryptionContext:app': 'secret' } },
    },
  ],
});
const identityPolicy = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'kms:DescribeKey', Resource: '*' }],
});
const directory = {
  identityPolicies: () => [identityPolicy],
  principalTags: () => ({}),
  exists: () => true,
};
const authorizer = createPolicyAuthorizer({ directory, partition: 'aws' });
const request = (app) => ({
  caller: { arn: alice, accountId: acct },
  action: 'kms:Decrypt',
  resource: { arn: keyArn, accountId: acct, policy: keyPolicy, tags: [], keyId: 'k' },
  conditions: {
    'kms:EncryptionContext:app': app,
    'kms:EncryptionContextKeys': ['app'],
    'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT',
  },
});
const decide = (app) => {
  try {
    authorizer.authorize(request(app));
    return 'Allowed';
  } catch {
    return 'Denied';
  }
};
console.log(
  'billing:',
  decide('billing'),
  ' secret:',
  decide('secret'),
  ' other:',
  decide('other'),
);
for (let i = 0; i < 20_000; i++) decide('billing');
const n = 200_000;
const start = process.hrtime.bigint();
for (let i = 0; i < n; i++) decide('billing');
const us = Number(process.hrtime.bigint() - start) / 1e3 / n;
console.log(
  `policy authorizer: ${us.toFixed(2)} µs per decision, ${Math.round(1e6 / us)} decisions/s`,
);
