// Who is calling: the authenticated principal that every operation acts for.

export interface Caller {
  readonly accountId: string;
  /** The principal ARN, e.g. arn:aws:iam::111122223333:root or …:user/alice. */
  readonly arn: string;
  readonly accessKeyId?: string;
  readonly userId?: string;
  readonly sourceIp?: string;
}

export function accountRoot(partition: string, accountId: string): Caller {
  return { accountId, arn: `arn:${partition}:iam::${accountId}:root`, userId: accountId };
}
