// What the policy engine needs to know about principals: their identity policies, tags and existence.
// Implemented by the credential store; the policy engine only reads through this interface.

export interface PrincipalDirectory {
  /** Identity-policy documents (JSON text) attached to a principal (IAM user or role ARN). */
  identityPolicies(principalArn: string): readonly string[];
  /** The principal's tags (aws:PrincipalTag/<key>). */
  principalTags(principalArn: string): Readonly<Record<string, string>>;
  /** Whether an account root (arn:…:iam::<acct>:root), user or role ARN names a principal that exists. */
  exists(principalArn: string): boolean;
}
