// The wire spellings of grants: GrantConstraints in and out, and GrantListEntry for ListGrants and
// ListRetirableGrants. Never includes a grant token.
import type { Grant, GrantConstraints } from '../../authz/grants/grant.js';
import { epochSeconds, type WireObject } from '../services.js';

export interface ConstraintsInput {
  EncryptionContextSubset?: Record<string, string>;
  EncryptionContextEquals?: Record<string, string>;
  SourceArn?: string;
}

export function constraintsFromWire(
  input: ConstraintsInput | undefined,
): GrantConstraints | undefined {
  if (!input) return undefined;
  const out: GrantConstraints = {
    ...(input.EncryptionContextEquals
      ? { encryptionContextEquals: input.EncryptionContextEquals }
      : {}),
    ...(input.EncryptionContextSubset
      ? { encryptionContextSubset: input.EncryptionContextSubset }
      : {}),
    ...(input.SourceArn !== undefined ? { sourceArn: input.SourceArn } : {}),
  };
  return Object.keys(out).length === 0 ? undefined : out;
}

function constraintsToWire(c: GrantConstraints): WireObject {
  return {
    ...(c.encryptionContextSubset ? { EncryptionContextSubset: c.encryptionContextSubset } : {}),
    ...(c.encryptionContextEquals ? { EncryptionContextEquals: c.encryptionContextEquals } : {}),
    ...(c.sourceArn !== undefined ? { SourceArn: c.sourceArn } : {}),
  };
}

export function grantListEntry(grant: Grant, keyArn: string): WireObject {
  return {
    KeyId: keyArn,
    GrantId: grant.grantId,
    ...(grant.name !== undefined ? { Name: grant.name } : {}),
    CreationDate: epochSeconds(grant.createdAt),
    ...(grant.granteePrincipal !== undefined ? { GranteePrincipal: grant.granteePrincipal } : {}),
    ...(grant.retiringPrincipal !== undefined
      ? { RetiringPrincipal: grant.retiringPrincipal }
      : {}),
    IssuingAccount: grant.issuingAccount,
    Operations: [...grant.operations],
    ...(grant.constraints ? { Constraints: constraintsToWire(grant.constraints) } : {}),
    ...(grant.granteeServicePrincipal !== undefined
      ? { GranteeServicePrincipal: grant.granteeServicePrincipal }
      : {}),
    ...(grant.retiringServicePrincipal !== undefined
      ? { RetiringServicePrincipal: grant.retiringServicePrincipal }
      : {}),
  };
}

/** The pagination order of grants: creation time, then id. */
export function grantPageKey(grant: Grant): string {
  return `${String(grant.createdAt).padStart(16, '0')}.${grant.grantId}`;
}
