// Who may retire a grant (AWS KMS Developer Guide, "Retiring and revoking grants"): the retiring
// principal, the grantee when the grant includes RetireGrant, and the account that created the grant;
// principals of those accounts (and of the key's account) only when their identity policies allow
// kms:RetireGrant. Key policies play no part.
import type { Grant } from './grant.js';
import { matchPrincipal, type CallerIdentity, type PrincipalMatch } from './principal-match.js';

export function retirePermission(
  grant: Grant,
  caller: CallerIdentity,
  keyAccountId: string,
): PrincipalMatch | undefined {
  const matches = [
    matchPrincipal(grant.retiringPrincipal, caller),
    grant.operations.has('RetireGrant')
      ? matchPrincipal(grant.granteePrincipal, caller)
      : undefined,
    matchPrincipal(grant.issuingAccount, caller),
    caller.accountId === keyAccountId ? ('account' as const) : undefined,
  ];
  if (matches.includes('principal')) return 'principal';
  return matches.includes('account') ? 'account' : undefined;
}
