// The policy-evaluation table: every case runs through the real policy authorizer with a fake
// directory and no grants, and must reach its expected decision.
import { describe, expect, it } from 'vitest';
import type { AuthorizationRequest } from './authorizer.js';
import { createPolicyAuthorizer } from './policy-authorizer.js';
import { FakePrincipalDirectory } from '../../test/fakes/fake-principal-directory.js';
import { ALICE, type EvalCase, KEY_A } from '../../test/policy-cases/case.js';
import { actionCases } from '../../test/policy-cases/actions-and-resources.js';
import { conditionKeyCases } from '../../test/policy-cases/condition-keys.js';
import { operatorCases } from '../../test/policy-cases/condition-operators.js';
import { contextCases } from '../../test/policy-cases/conditions-in-context.js';
import { principalCases } from '../../test/policy-cases/principals.js';

const NOW = Date.parse('2027-01-15T08:00:00Z');
const cases: readonly EvalCase[] = [
  ...principalCases,
  ...actionCases,
  ...operatorCases,
  ...conditionKeyCases,
  ...contextCases,
];

function accountOf(arn: string): string {
  return arn.split(':')[4] ?? '';
}

function run(c: EvalCase): 'allow' | 'deny' {
  const caller = c.caller ?? ALICE;
  const directory = new FakePrincipalDirectory({
    [caller.replace(/^arn:aws:sts::(\d+):assumed-role\/([^/]+)\/.*$/, 'arn:aws:iam::$1:role/$2')]: {
      policies: c.identity ? [{ Version: '2012-10-17', Statement: c.identity }] : [],
      ...(c.principalTags ? { tags: c.principalTags } : {}),
    },
  });
  const authorizer = createPolicyAuthorizer({ directory, partition: 'aws', now: () => NOW });
  const keyArn = c.keyArn ?? KEY_A;
  const request: AuthorizationRequest = {
    caller: {
      arn: caller,
      accountId: accountOf(caller),
      ...(c.sourceIp ? { sourceIp: c.sourceIp } : {}),
    },
    action: c.action ?? 'kms:Decrypt',
    ...(c.key
      ? {
          resource: {
            arn: keyArn,
            accountId: accountOf(keyArn),
            keyId: keyArn.split('/')[1] ?? '',
            policy: JSON.stringify({ Version: '2012-10-17', Statement: c.key }),
            tags: Object.entries(c.tags ?? {}).map(([tagKey, tagValue]) => ({ tagKey, tagValue })),
            keySpec: 'SYMMETRIC_DEFAULT',
            keyUsage: 'ENCRYPT_DECRYPT',
            origin: 'AWS_KMS',
            aliases: c.aliases ?? [],
          },
        }
      : {}),
    ...(c.conditions ? { conditions: c.conditions } : {}),
  };
  try {
    authorizer.authorize(request);
    return 'allow';
  } catch (err) {
    expect((err as { type?: string }).type).toBe('AccessDeniedException');
    return 'deny';
  }
}

describe('policy evaluation table', () => {
  it('has at least 100 cases with unique names', () => {
    expect(cases.length).toBeGreaterThanOrEqual(100);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(run(c)).toBe(c.expect);
  });
});
