// Converts grants to and from their stored rows. A row that cannot be read is a bug, not a KmsError.
import type { GrantRow } from '../../store/grant-store.js';
import {
  isGrantOperation,
  type Grant,
  type GrantConstraints,
  type GrantOperation,
} from './grant.js';

interface StoredConstraints {
  equals?: Record<string, string>;
  subset?: Record<string, string>;
  sourceArn?: string;
}

export function grantToRow(grant: Grant): GrantRow {
  const c = grant.constraints;
  const stored: StoredConstraints = {};
  if (c?.encryptionContextEquals) stored.equals = { ...c.encryptionContextEquals };
  if (c?.encryptionContextSubset) stored.subset = { ...c.encryptionContextSubset };
  if (c?.sourceArn !== undefined) stored.sourceArn = c.sourceArn;
  return {
    grantId: grant.grantId,
    keyId: grant.keyId,
    name: grant.name ?? null,
    createdAt: grant.createdAt,
    granteePrincipal: grant.granteePrincipal ?? null,
    granteeServicePrincipal: grant.granteeServicePrincipal ?? null,
    retiringPrincipal: grant.retiringPrincipal ?? null,
    retiringServicePrincipal: grant.retiringServicePrincipal ?? null,
    issuingAccount: grant.issuingAccount,
    operations: JSON.stringify([...grant.operations]),
    constraints: Object.keys(stored).length === 0 ? null : JSON.stringify(stored),
  };
}

export function grantFromRow(row: GrantRow): Grant {
  const names = JSON.parse(row.operations) as unknown;
  if (!Array.isArray(names)) throw new Error(`grant ${row.grantId}: operations are not a list`);
  const operations = new Set<GrantOperation>();
  for (const n of names) {
    if (typeof n !== 'string' || !isGrantOperation(n))
      throw new Error(`grant ${row.grantId}: unknown operation`);
    operations.add(n);
  }
  let constraints: GrantConstraints | undefined;
  if (row.constraints !== null) {
    const s = JSON.parse(row.constraints) as StoredConstraints;
    constraints = {
      ...(s.equals ? { encryptionContextEquals: s.equals } : {}),
      ...(s.subset ? { encryptionContextSubset: s.subset } : {}),
      ...(s.sourceArn !== undefined ? { sourceArn: s.sourceArn } : {}),
    };
  }
  return {
    grantId: row.grantId,
    keyId: row.keyId,
    createdAt: row.createdAt,
    issuingAccount: row.issuingAccount,
    operations,
    ...(row.name !== null ? { name: row.name } : {}),
    ...(row.granteePrincipal !== null ? { granteePrincipal: row.granteePrincipal } : {}),
    ...(row.granteeServicePrincipal !== null
      ? { granteeServicePrincipal: row.granteeServicePrincipal }
      : {}),
    ...(row.retiringPrincipal !== null ? { retiringPrincipal: row.retiringPrincipal } : {}),
    ...(row.retiringServicePrincipal !== null
      ? { retiringServicePrincipal: row.retiringServicePrincipal }
      : {}),
    ...(constraints ? { constraints } : {}),
  };
}
