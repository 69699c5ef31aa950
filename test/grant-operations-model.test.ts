// The grant model's operation list is the AWS model's GrantOperation enum. src/authz may not import
// the generated model (it belongs to src/api), so the list is written out there and checked here.
import { describe, expect, it } from 'vitest';
import { shapes } from '../src/api/model.generated.js';
import { GRANT_OPERATIONS, isGrantOperation } from '../src/authz/grants/grant.js';

describe('the grant operations', () => {
  it('are the GrantOperation enum of the model, in its order', () => {
    const modelEnum = shapes.GrantOperation?.enum;
    expect(modelEnum).toBeDefined();
    expect(GRANT_OPERATIONS).toEqual(modelEnum);
  });

  it('are the only names isGrantOperation accepts', () => {
    for (const name of GRANT_OPERATIONS) expect(isGrantOperation(name), name).toBe(true);
    for (const name of ['decrypt', 'ReEncrypt', 'ListGrants', '', 'kms:Decrypt'])
      expect(isGrantOperation(name), name).toBe(false);
  });
});
