// First start of a server that enforces SigV4: the default account gets an administrator, an IAM
// user named `admin` with an identity policy allowing kms:* (the default key policy lets the account
// delegate to identity policies), and one access key whose secret is handed back once to be printed.
import type { CredentialAdmin, NewAccessKey } from './credential-admin.js';

export const ADMIN_USER = 'admin';
export const ADMIN_POLICY_NAME = 'AdministratorAccess';
export const ADMIN_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'KmsAdministrator',
      Effect: 'Allow',
      Action: ['kms:*', 'sts:GetCallerIdentity'],
      Resource: '*',
    },
  ],
});

export async function createAdministrator(
  admin: CredentialAdmin,
  accountId: string,
): Promise<NewAccessKey> {
  const user = await admin.createPrincipal(accountId, 'user', ADMIN_USER);
  await admin.attachPolicy(user.arn, ADMIN_POLICY_NAME, ADMIN_POLICY);
  return admin.createAccessKey(user.arn);
}

/** The one-time notice printed on first start; the only place a secret is ever written out. */
export function administratorNotice(key: NewAccessKey, url: string, region: string): string {
  return `trent: first start: created administrator ${key.principalArn}
trent: its access key is shown this once only; store it now:

  aws_access_key_id     = ${key.accessKeyId}
  aws_secret_access_key = ${key.secretAccessKey}

  e.g. aws configure --profile trent   (region ${region}), then
       aws --profile trent --endpoint-url ${url} kms list-keys
  more principals and keys: trent user create NAME, trent access-key create --user NAME
  (run those with the server stopped; see docs/authentication.md)
`;
}
