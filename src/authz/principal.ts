// Who is calling: the authenticated principal that every operation acts for.

/** Account = the account root; AssumedRole = session credentials issued for a role. */
export type PrincipalType = 'Account' | 'User' | 'Role' | 'AssumedRole';

export interface Caller {
  readonly accountId: string;
  /** The principal ARN, e.g. arn:aws:iam::111122223333:root, …:user/alice or
   *  arn:aws:sts::111122223333:assumed-role/app/session-1. */
  readonly arn: string;
  readonly accessKeyId?: string;
  /** AWS's UserId: the account id for the root, AIDA… for a user, AROA…:<session> for a role session. */
  readonly userId?: string;
  readonly sourceIp?: string;
  readonly principalType?: PrincipalType;
  /** The IAM ARN behind the caller (aws:PrincipalArn): the role ARN for an assumed-role session. */
  readonly principalArn?: string;
  /** The session name of temporary credentials. */
  readonly sessionName?: string;
}

export function accountRoot(partition: string, accountId: string): Caller {
  const arn = `arn:${partition}:iam::${accountId}:root`;
  return { accountId, arn, userId: accountId, principalType: 'Account', principalArn: arn };
}
