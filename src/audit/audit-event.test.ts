import { describe, expect, it } from 'vitest';
import { accountRoot, type Caller } from '../authz/principal.js';
import { userIdentityOf } from './audit-event.js';

describe('userIdentityOf', () => {
  it("describes a caller as CloudTrail's userIdentity", () => {
    const user: Caller = {
      accountId: '111122223333',
      arn: 'arn:aws:iam::111122223333:user/alice',
      accessKeyId: 'AKIAEXAMPLE',
      userId: 'AIDAEXAMPLE',
    };
    expect(userIdentityOf(user)).toEqual({
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLE',
      arn: 'arn:aws:iam::111122223333:user/alice',
      accountId: '111122223333',
      accessKeyId: 'AKIAEXAMPLE',
    });
    expect(userIdentityOf(accountRoot('aws', '111122223333'))).toMatchObject({
      type: 'Root',
      principalId: '111122223333',
      accessKeyId: null,
    });
  });

  it('works a caller out once and shares that identity, frozen, between its events', () => {
    const caller = accountRoot('aws', '444455556666');
    const first = userIdentityOf(caller);
    expect(userIdentityOf(caller)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    // Another caller object (another credential, or the same one reloaded) gets its own identity.
    const again = userIdentityOf({ ...caller, accessKeyId: 'AKIAOTHER' });
    expect(again).not.toBe(first);
    expect(again.accessKeyId).toBe('AKIAOTHER');
  });
});
