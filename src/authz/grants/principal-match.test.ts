import { describe, expect, it } from 'vitest';
import { matchPrincipal } from './principal-match.js';

const root = { accountId: '111122223333', arn: 'arn:aws:iam::111122223333:root' };
const alice = { accountId: '111122223333', arn: 'arn:aws:iam::111122223333:user/alice' };
const session = {
  accountId: '111122223333',
  arn: 'arn:aws:sts::111122223333:assumed-role/Reader/session-1',
};
const other = { accountId: '444455556666', arn: 'arn:aws:iam::444455556666:user/alice' };

describe('matching a grant principal to a caller', () => {
  it.each([
    ['the same user ARN', 'arn:aws:iam::111122223333:user/alice', alice, 'principal'],
    ['another user of the account', 'arn:aws:iam::111122223333:user/bob', alice, undefined],
    [
      'the same user name in another account',
      'arn:aws:iam::111122223333:user/alice',
      other,
      undefined,
    ],
    ['the account root for the root', 'arn:aws:iam::111122223333:root', root, 'principal'],
    ['the account id for the root', '111122223333', root, 'principal'],
    [
      'the account root for a user of the account',
      'arn:aws:iam::111122223333:root',
      alice,
      'account',
    ],
    [
      'the account root for a user of another account',
      'arn:aws:iam::111122223333:root',
      other,
      undefined,
    ],
    [
      'a role for its assumed-role session',
      'arn:aws:iam::111122223333:role/Reader',
      session,
      'principal',
    ],
    [
      'a role with a path for its session',
      'arn:aws:iam::111122223333:role/team/Reader',
      session,
      'principal',
    ],
    ['the session ARN itself', session.arn, session, 'principal'],
    ['another role for a session', 'arn:aws:iam::111122223333:role/Writer', session, undefined],
    ['no principal', undefined, alice, undefined],
  ] as const)('matches %s', (_name, principal, caller, expected) => {
    expect(matchPrincipal(principal, caller)).toBe(expected);
  });
});
