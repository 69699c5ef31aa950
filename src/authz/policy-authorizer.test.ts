import { describe, expect, it } from 'vitest';
import type { AuthorizationRequest, KeyPolicyCheck } from './authorizer.js';
import { createPolicyAuthorizer, LOCKOUT_MESSAGE } from './policy-authorizer.js';
import { FakeGrantChecker } from '../../test/fakes/fake-grant-checker.js';
import { FakePrincipalDirectory } from '../../test/fakes/fake-principal-directory.js';

const A = '111122223333';
const ROOT = `arn:aws:iam::${A}:root`;
const ALICE = `arn:aws:iam::${A}:user/alice`;
const BOB = `arn:aws:iam::${A}:user/bob`;
const KEY = `arn:aws:kms:us-east-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const rootPolicy = doc({
  Effect: 'Allow',
  Principal: { AWS: ROOT },
  Action: 'kms:*',
  Resource: '*',
});

function request(arn: string, action: string, policy?: string): AuthorizationRequest {
  return {
    caller: { arn, accountId: A },
    action,
    ...(policy ? { resource: { arn: KEY, accountId: A, policy, tags: [], keyId: 'k' } } : {}),
  };
}

function setup() {
  const directory = new FakePrincipalDirectory()
    .add(ROOT)
    .add(ALICE, { policies: [doc({ Effect: 'Allow', Action: 'kms:PutKeyPolicy', Resource: '*' })] })
    .add(BOB);
  const grants = new FakeGrantChecker();
  const authorizer = createPolicyAuthorizer({ directory, grants, partition: 'aws' });
  return { directory, grants, authorizer };
}

function denial(fn: () => void): { type: string; message: string } {
  try {
    fn();
  } catch (err) {
    return err as { type: string; message: string };
  }
  throw new Error('expected AccessDeniedException');
}

describe('createPolicyAuthorizer: decisions and messages', () => {
  it('names the missing resource-based allow', () => {
    const { authorizer } = setup();
    const policy = doc({
      Effect: 'Allow',
      Principal: { AWS: ALICE },
      Action: 'kms:Encrypt',
      Resource: '*',
    });
    const err = denial(() => {
      authorizer.authorize(request(BOB, 'kms:Decrypt', policy));
    });
    expect(err.type).toBe('AccessDeniedException');
    expect(err.message).toBe(
      `User: ${BOB} is not authorized to perform: kms:Decrypt on resource: ${KEY} because no resource-based policy allows the kms:Decrypt action`,
    );
  });

  it('names the missing identity-based allow when the key policy trusts the account', () => {
    const { authorizer } = setup();
    const err = denial(() => {
      authorizer.authorize(request(BOB, 'kms:Decrypt', rootPolicy));
    });
    expect(err.message).toBe(
      `User: ${BOB} is not authorized to perform: kms:Decrypt on resource: ${KEY} because no identity-based policy allows the kms:Decrypt action`,
    );
  });

  it('names an explicit deny in the key policy', () => {
    const { authorizer } = setup();
    const policy = doc(
      { Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' },
      { Effect: 'Deny', Principal: '*', Action: 'kms:Decrypt', Resource: '*' },
    );
    const err = denial(() => {
      authorizer.authorize(request(BOB, 'kms:Decrypt', policy));
    });
    expect(err.message).toBe(
      `User: ${BOB} is not authorized to perform: kms:Decrypt on resource: ${KEY} with an explicit deny in a resource-based policy`,
    );
  });

  it('names an explicit deny in an identity policy', () => {
    const directory = new FakePrincipalDirectory().add(BOB, {
      policies: [doc({ Effect: 'Deny', Action: 'kms:*', Resource: '*' })],
    });
    const authorizer = createPolicyAuthorizer({ directory, partition: 'aws' });
    const err = denial(() => {
      authorizer.authorize(request(BOB, 'kms:CreateKey'));
    });
    expect(err.message).toBe(
      `User: ${BOB} is not authorized to perform: kms:CreateKey on resource: * with an explicit deny in an identity-based policy`,
    );
  });

  it('checks an alias resource against identity policies alone', () => {
    const alias = `arn:aws:kms:us-east-1:${A}:alias/app`;
    const directory = new FakePrincipalDirectory().add(BOB, {
      policies: [doc({ Effect: 'Allow', Action: 'kms:CreateAlias', Resource: alias })],
    });
    const authorizer = createPolicyAuthorizer({ directory, partition: 'aws' });
    const req = { ...request(BOB, 'kms:CreateAlias'), resourceArn: alias };
    expect(() => {
      authorizer.authorize(req);
    }).not.toThrow();
    const other = { ...req, resourceArn: `arn:aws:kms:us-east-1:${A}:alias/other` };
    expect(
      denial(() => {
        authorizer.authorize(other);
      }).message,
    ).toContain(`on resource: ${other.resourceArn}`);
  });

  it('does not read identity policies for the account root', () => {
    const { authorizer, directory } = setup();
    authorizer.authorize(request(ROOT, 'kms:Decrypt', rootPolicy));
    authorizer.authorize(request(ROOT, 'kms:CreateKey'));
    expect(directory.lookups).toBe(0);
  });
});

describe('createPolicyAuthorizer: grants', () => {
  it('lets a grant allow what no policy allows', () => {
    const { authorizer, grants } = setup();
    grants.allow(BOB, 'kms:Decrypt');
    expect(() => {
      authorizer.authorize(request(BOB, 'kms:Decrypt', rootPolicy));
    }).not.toThrow();
    expect(grants.calls).toHaveLength(1);
  });

  it('does not consult grants when a policy already allows', () => {
    const { authorizer, grants } = setup();
    authorizer.authorize(request(ROOT, 'kms:Decrypt', rootPolicy));
    expect(grants.calls).toHaveLength(0);
  });

  it('never lets a grant override an explicit deny', () => {
    const { authorizer, grants } = setup();
    grants.allow(BOB, 'kms:Decrypt');
    const policy = doc({ Effect: 'Deny', Principal: { AWS: BOB }, Action: 'kms:*', Resource: '*' });
    expect(
      denial(() => {
        authorizer.authorize(request(BOB, 'kms:Decrypt', policy));
      }).type,
    ).toBe('AccessDeniedException');
    expect(grants.calls).toHaveLength(0);
  });

  it('does not consult grants for operations without a key', () => {
    const { authorizer, grants } = setup();
    grants.allow(BOB, 'kms:CreateKey');
    denial(() => {
      authorizer.authorize(request(BOB, 'kms:CreateKey'));
    });
    expect(grants.calls).toHaveLength(0);
  });
});

describe('createPolicyAuthorizer: checkKeyPolicy', () => {
  const check = (caller: string, policy: string, bypass = false): KeyPolicyCheck => ({
    caller: { arn: caller, accountId: A },
    policy,
    keyArn: KEY,
    keyId: 'k',
    accountId: A,
    bypassLockoutCheck: bypass,
  });

  it('accepts a policy whose principals exist and that keeps PutKeyPolicy for the caller', () => {
    const { authorizer } = setup();
    expect(() => {
      authorizer.checkKeyPolicy(check(ROOT, rootPolicy));
    }).not.toThrow();
  });

  it('rejects a principal that does not exist', () => {
    const { authorizer } = setup();
    const policy = doc(
      { Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' },
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${A}:user/ghost` },
        Action: 'kms:*',
        Resource: '*',
      },
    );
    const err = denial(() => {
      authorizer.checkKeyPolicy(check(ROOT, policy));
    });
    expect(err.type).toBe('MalformedPolicyDocumentException');
    expect(err.message).toBe('Policy contains a statement with one or more invalid principals.');
  });

  it('rejects an account that does not exist', () => {
    const { authorizer } = setup();
    const policy = doc({
      Effect: 'Allow',
      Principal: { AWS: '999999999999' },
      Action: 'kms:*',
      Resource: '*',
    });
    expect(
      denial(() => {
        authorizer.checkKeyPolicy(check(ROOT, policy));
      }).type,
    ).toBe('MalformedPolicyDocumentException');
  });

  it('refuses a policy that would lock the caller out', () => {
    const { authorizer } = setup();
    const policy = doc({
      Effect: 'Allow',
      Principal: { AWS: BOB },
      Action: 'kms:*',
      Resource: '*',
    });
    const err = denial(() => {
      authorizer.checkKeyPolicy(check(ROOT, policy));
    });
    expect(err.type).toBe('MalformedPolicyDocumentException');
    expect(err.message).toBe(LOCKOUT_MESSAGE);
  });

  it('accepts a locking policy when the lockout check is bypassed', () => {
    const { authorizer } = setup();
    const policy = doc({
      Effect: 'Allow',
      Principal: { AWS: BOB },
      Action: 'kms:*',
      Resource: '*',
    });
    expect(() => {
      authorizer.checkKeyPolicy(check(ROOT, policy, true));
    }).not.toThrow();
  });

  it('counts identity policies when the new policy trusts the account', () => {
    const { authorizer } = setup();
    expect(() => {
      authorizer.checkKeyPolicy(check(ALICE, rootPolicy));
    }).not.toThrow();
    expect(
      denial(() => {
        authorizer.checkKeyPolicy(check(BOB, rootPolicy));
      }).message,
    ).toBe(LOCKOUT_MESSAGE);
  });

  it('refuses a policy that denies the caller PutKeyPolicy', () => {
    const { authorizer } = setup();
    const policy = doc(
      { Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' },
      { Effect: 'Deny', Principal: '*', Action: 'kms:Put*', Resource: '*' },
    );
    expect(
      denial(() => {
        authorizer.checkKeyPolicy(check(ROOT, policy));
      }).message,
    ).toBe(LOCKOUT_MESSAGE);
  });
});
