import { describe, expect, it } from 'vitest';
import type { AuthorizationRequest } from '../authorizer.js';
import type { GrantSnapshot, GrantStore } from '../../store/grant-store.js';
import { GrantAuthority, requestContext } from './grant-checker.js';
import type { GrantSpec } from './grant.js';
import { GrantRegistry } from './grant-registry.js';
import { delegatingGrantChecker } from './delegating-grant-checker.js';

const KEY = 'k1';
const ROOT = { accountId: '111122223333', arn: 'arn:aws:iam::111122223333:root' };
const ALICE = { accountId: '111122223333', arn: 'arn:aws:iam::111122223333:user/alice' };
const BOB = { accountId: '111122223333', arn: 'arn:aws:iam::111122223333:user/bob' };

const memoryStore: GrantStore = {
  loadAll: (): Promise<GrantSnapshot> => Promise.resolve({ grants: [], tokens: [] }),
  loadForKeys: (): Promise<GrantSnapshot> => Promise.resolve({ grants: [], tokens: [] }),
  putGrant: () => Promise.resolve(),
  addToken: () => Promise.resolve(),
  deleteGrant: () => Promise.resolve(),
};

async function checkerWith(...specs: Partial<GrantSpec>[]) {
  const registry = await GrantRegistry.open({ store: memoryStore, keyExists: () => true });
  const tokens: string[] = [];
  for (const s of specs) {
    const issued = await registry.issue(
      {
        keyId: KEY,
        issuingAccount: ROOT.arn,
        operations: new Set(['Decrypt']),
        ...s,
      },
      1,
    );
    tokens.push(issued.grantToken);
  }
  return { checker: new GrantAuthority(registry), tokens };
}

function request(
  caller: { accountId: string; arn: string },
  action: string,
  extra: Partial<AuthorizationRequest> = {},
): AuthorizationRequest {
  return {
    caller,
    action,
    resource: {
      arn: `arn:aws:kms:us-east-1:111122223333:key/${KEY}`,
      accountId: '111122223333',
      policy: '{}',
      tags: [],
      keyId: KEY,
    },
    ...extra,
  };
}

function context(pairs: Record<string, string>): NonNullable<AuthorizationRequest['conditions']> {
  const out: Record<string, string | string[]> = {
    'kms:EncryptionContextKeys': Object.keys(pairs),
  };
  for (const [k, v] of Object.entries(pairs)) out[`kms:EncryptionContext:${k}`] = v;
  return out;
}

describe('the grant checker', () => {
  it('allows the grantee the operations of its grant and nothing else', async () => {
    const { checker } = await checkerWith({ granteePrincipal: ALICE.arn });
    expect(checker.allows(request(ALICE, 'kms:Decrypt'))).toBe(true);
    expect(checker.allows(request(ALICE, 'kms:Encrypt'))).toBe(false);
    expect(checker.allows(request(BOB, 'kms:Decrypt'))).toBe(false);
  });

  it('allows nothing on another key or without a key', async () => {
    const { checker } = await checkerWith({ granteePrincipal: ALICE.arn });
    const other = request(ALICE, 'kms:Decrypt');
    expect(checker.allows({ ...other, resource: { ...other.resource!, keyId: 'k2' } })).toBe(false);
    expect(checker.allows({ caller: ALICE, action: 'kms:Decrypt' })).toBe(false);
  });

  it('applies encryption-context constraints to operations that take a context', async () => {
    const { checker } = await checkerWith({
      granteePrincipal: ALICE.arn,
      operations: new Set(['Decrypt', 'DescribeKey']),
      constraints: { encryptionContextEquals: { tenant: 't1' } },
    });
    expect(
      checker.allows(request(ALICE, 'kms:Decrypt', { conditions: context({ tenant: 't1' }) })),
    ).toBe(true);
    expect(
      checker.allows(request(ALICE, 'kms:Decrypt', { conditions: context({ tenant: 't2' }) })),
    ).toBe(false);
    expect(checker.allows(request(ALICE, 'kms:Decrypt'))).toBe(false);
    expect(checker.allows(request(ALICE, 'kms:DescribeKey'))).toBe(true);
  });

  it('matches a grant to an account as an account-level allow for its users and a direct one for its root', async () => {
    const { checker } = await checkerWith({ granteePrincipal: ROOT.arn });
    expect(checker.match(request(ROOT, 'kms:Decrypt'))).toBe('principal');
    expect(checker.match(request(ALICE, 'kms:Decrypt'))).toBe('account');
    expect(checker.allows(request(ALICE, 'kms:Decrypt'))).toBe(false);
  });

  it('applies a SourceArn constraint to every operation', async () => {
    const sourceArn = 'arn:aws:s3:::bucket/x';
    const { checker } = await checkerWith({
      granteePrincipal: ALICE.arn,
      constraints: { sourceArn },
    });
    expect(checker.allows(request(ALICE, 'kms:Decrypt'))).toBe(false);
    expect(
      checker.allows(request(ALICE, 'kms:Decrypt', { conditions: { 'aws:SourceArn': sourceArn } })),
    ).toBe(true);
  });

  it('allows CreateGrant only for a proposed grant it can bound', async () => {
    const { checker } = await checkerWith({
      granteePrincipal: ALICE.arn,
      operations: new Set(['Decrypt', 'Encrypt', 'CreateGrant']),
    });
    expect(checker.allows(request(ALICE, 'kms:CreateGrant'))).toBe(false);
    expect(
      checker.allows(
        request(ALICE, 'kms:CreateGrant', { proposedGrant: { operations: ['Decrypt'] } }),
      ),
    ).toBe(true);
    expect(
      checker.allows(
        request(ALICE, 'kms:CreateGrant', { proposedGrant: { operations: ['Sign'] } }),
      ),
    ).toBe(false);
  });

  it('accepts its own tokens and refuses any other with InvalidGrantTokenException', async () => {
    const { checker, tokens } = await checkerWith({ granteePrincipal: ALICE.arn });
    expect(checker.allows(request(ALICE, 'kms:Decrypt', { grantTokens: tokens }))).toBe(true);
    expect(() =>
      checker.allows(request(ALICE, 'kms:Decrypt', { grantTokens: ['forged'] })),
    ).toThrow(expect.objectContaining({ type: 'InvalidGrantTokenException' }));
  });

  it('rebuilds the request context from its condition keys', () => {
    expect(requestContext(context({ a: '1', B: '2' }))).toEqual({ a: '1', B: '2' });
    expect(requestContext(undefined)).toEqual({});
  });
});

describe('the delegating grant checker', () => {
  it('allows an account-level grant only when identity policies allow too', async () => {
    const { checker } = await checkerWith({ granteePrincipal: ROOT.arn });
    const seen: string[] = [];
    const allowing = delegatingGrantChecker(checker, (r) => {
      seen.push(r.caller.arn);
      return true;
    });
    const refusing = delegatingGrantChecker(checker, () => false);
    expect(allowing.allows(request(ALICE, 'kms:Decrypt'))).toBe(true);
    expect(refusing.allows(request(ALICE, 'kms:Decrypt'))).toBe(false);
    expect(refusing.allows(request(ROOT, 'kms:Decrypt'))).toBe(true);
    expect(allowing.allows(request(ALICE, 'kms:Encrypt'))).toBe(false);
    expect(seen).toEqual([ALICE.arn]);
  });
});
