// Grant operations and grant-based authorization through the real pipeline, with several callers and
// the fake policy side standing in for key and identity policies.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startInProcess, type InProcessTrent } from '../../../test/fakes/in-process-trent.js';

const ADMIN = 'arn:aws:iam::111122223333:user/admin';
const APP = 'arn:aws:iam::111122223333:role/app';
const OTHER = 'arn:aws:iam::111122223333:user/other';
const RETIRER = 'arn:aws:iam::111122223333:user/retirer';
const ROOT = 'arn:aws:iam::111122223333:root';
const STRANGER = 'arn:aws:iam::444455556666:user/stranger';

let t: InProcessTrent;
let keyId: string;
let keyArn: string;

beforeEach(async () => {
  t = await startInProcess([{ effect: 'Allow', principal: ADMIN, action: 'kms:*' }]);
  const created = await t.call(ADMIN, 'CreateKey', {});
  const meta = created.json.KeyMetadata as { KeyId: string; Arn: string };
  keyId = meta.KeyId;
  keyArn = meta.Arn;
});
afterEach(async () => {
  await t.close();
});

async function encryptAs(caller: string, context: Record<string, string>) {
  return t.call(caller, 'Encrypt', {
    KeyId: keyId,
    Plaintext: Buffer.from('secret').toString('base64'),
    EncryptionContext: context,
  });
}

async function grant(caller: string, body: Record<string, unknown>) {
  return t.call(caller, 'CreateGrant', { KeyId: keyArn, ...body });
}

describe('a grant with an encryption-context constraint', () => {
  it('lets a third principal Decrypt only with the given encryption context', async () => {
    const t1 = await encryptAs(ADMIN, { tenant: 't1' });
    const t2 = await encryptAs(ADMIN, { tenant: 't2' });
    const before = await t.call(APP, 'Decrypt', {
      CiphertextBlob: t1.json.CiphertextBlob,
      EncryptionContext: { tenant: 't1' },
    });
    expect(before.json.__type).toBe('AccessDeniedException');
    const created = await grant(ADMIN, {
      GranteePrincipal: APP,
      Operations: ['Decrypt'],
      Constraints: { EncryptionContextEquals: { tenant: 't1' } },
    });
    expect(created.status).toBe(200);
    const ok = await t.call(APP, 'Decrypt', {
      CiphertextBlob: t1.json.CiphertextBlob,
      EncryptionContext: { TENANT: 't1' },
    });
    // The grant matches the key case-insensitively; the ciphertext still needs the exact context.
    expect(ok.json.__type).toBe('InvalidCiphertextException');
    const exact = await t.call(APP, 'Decrypt', {
      CiphertextBlob: t1.json.CiphertextBlob,
      EncryptionContext: { tenant: 't1' },
    });
    expect(exact.status).toBe(200);
    expect(Buffer.from(exact.json.Plaintext as string, 'base64').toString()).toBe('secret');
    const refused = await t.call(APP, 'Decrypt', {
      CiphertextBlob: t2.json.CiphertextBlob,
      EncryptionContext: { tenant: 't2' },
    });
    expect(refused.json.__type).toBe('AccessDeniedException');
    const notGranted = await encryptAs(APP, { tenant: 't1' });
    expect(notGranted.json.__type).toBe('AccessDeniedException');
  });

  it('loses to an explicit deny', async () => {
    const t1 = await encryptAs(ADMIN, { tenant: 't1' });
    await grant(ADMIN, { GranteePrincipal: APP, Operations: ['Decrypt'] });
    t.policy.statements.push({ effect: 'Deny', principal: APP, action: 'kms:Decrypt' });
    const res = await t.call(APP, 'Decrypt', {
      CiphertextBlob: t1.json.CiphertextBlob,
      EncryptionContext: { tenant: 't1' },
    });
    expect(res.json.__type).toBe('AccessDeniedException');
  });

  it('still lets the grantee DescribeKey, which takes no encryption context', async () => {
    await grant(ADMIN, {
      GranteePrincipal: APP,
      Operations: ['DescribeKey'],
      Constraints: { EncryptionContextSubset: { tenant: 't1' } },
    });
    const res = await t.call(APP, 'DescribeKey', { KeyId: keyArn });
    expect(res.status).toBe(200);
  });
});

describe('grants across accounts', () => {
  it('let a principal of another account use the key by its ARN', async () => {
    await grant(ADMIN, { GranteePrincipal: STRANGER, Operations: ['Encrypt'] });
    const res = await t.call(STRANGER, 'Encrypt', {
      KeyId: keyArn,
      Plaintext: Buffer.from('x').toString('base64'),
    });
    expect(res.status).toBe(200);
    const other = await t.call(STRANGER, 'GenerateDataKey', { KeyId: keyArn, KeySpec: 'AES_256' });
    expect(other.json.__type).toBe('AccessDeniedException');
  });
});

describe('CreateGrant through a grant', () => {
  beforeEach(async () => {
    await grant(ADMIN, {
      GranteePrincipal: APP,
      Operations: ['Decrypt', 'Encrypt', 'CreateGrant'],
      Constraints: { EncryptionContextSubset: { tenant: 't1' } },
    });
  });

  it('creates a grant for a subset of operations with stricter constraints', async () => {
    const res = await grant(APP, {
      GranteePrincipal: OTHER,
      Operations: ['Decrypt'],
      Constraints: { EncryptionContextSubset: { tenant: 't1', app: 'a' } },
    });
    expect(res.status).toBe(200);
    const listed = await t.call(ADMIN, 'ListGrants', { KeyId: keyId, GranteePrincipal: OTHER });
    expect(listed.json.Grants).toMatchObject([{ IssuingAccount: ROOT, Operations: ['Decrypt'] }]);
  });

  it('refuses a grant with looser constraints', async () => {
    const res = await grant(APP, { GranteePrincipal: OTHER, Operations: ['Decrypt'] });
    expect(res.json.__type).toBe('AccessDeniedException');
  });

  it('refuses a grant for an operation the grant does not have', async () => {
    const res = await grant(APP, {
      GranteePrincipal: OTHER,
      Operations: ['GenerateDataKey'],
      Constraints: { EncryptionContextSubset: { tenant: 't1' } },
    });
    expect(res.json.__type).toBe('AccessDeniedException');
  });
});

describe('RetireGrant permissions', () => {
  async function newGrant(operations: string[]): Promise<{ id: string; token: string }> {
    const res = await grant(ADMIN, {
      GranteePrincipal: APP,
      RetiringPrincipal: RETIRER,
      Operations: operations,
    });
    return { id: res.json.GrantId as string, token: res.json.GrantToken as string };
  }

  it('lets the retiring principal retire', async () => {
    const g = await newGrant(['Decrypt']);
    expect((await t.call(RETIRER, 'RetireGrant', { GrantToken: g.token })).status).toBe(200);
  });

  it('lets the grantee retire only when the grant includes RetireGrant', async () => {
    const without = await newGrant(['Decrypt']);
    const refused = await t.call(APP, 'RetireGrant', { KeyId: keyArn, GrantId: without.id });
    expect(refused.json.__type).toBe('AccessDeniedException');
    const withRetire = await newGrant(['Decrypt', 'RetireGrant']);
    const ok = await t.call(APP, 'RetireGrant', { KeyId: keyArn, GrantId: withRetire.id });
    expect(ok.status).toBe(200);
  });

  it('lets the root of the issuing account retire', async () => {
    const g = await newGrant(['Decrypt']);
    expect((await t.call(ROOT, 'RetireGrant', { GrantToken: g.token })).status).toBe(200);
  });

  it('lets another principal of the account retire only when its identity policy allows it', async () => {
    const g = await newGrant(['Decrypt']);
    const refused = await t.call(OTHER, 'RetireGrant', { GrantToken: g.token });
    expect(refused.json.__type).toBe('AccessDeniedException');
    t.policy.statements.push({ effect: 'Allow', principal: OTHER, action: 'kms:RetireGrant' });
    expect((await t.call(OTHER, 'RetireGrant', { GrantToken: g.token })).status).toBe(200);
  });

  it('refuses a principal of another account that the grant does not name', async () => {
    const g = await newGrant(['Decrypt', 'RetireGrant']);
    const res = await t.call(STRANGER, 'RetireGrant', { GrantToken: g.token });
    expect(res.json.__type).toBe('AccessDeniedException');
  });
});

describe('key-policy-controlled grant operations', () => {
  it('refuses RevokeGrant and ListGrants to a grantee without kms:RevokeGrant or kms:ListGrants', async () => {
    const g = await grant(ADMIN, { GranteePrincipal: APP, Operations: ['Decrypt', 'RetireGrant'] });
    const revoke = await t.call(APP, 'RevokeGrant', { KeyId: keyId, GrantId: g.json.GrantId });
    expect(revoke.json.__type).toBe('AccessDeniedException');
    const list = await t.call(APP, 'ListGrants', { KeyId: keyId });
    expect(list.json.__type).toBe('AccessDeniedException');
    const asAdmin = await t.call(ADMIN, 'RevokeGrant', { KeyId: keyId, GrantId: g.json.GrantId });
    expect(asAdmin.status).toBe(200);
  });

  it('refuses CreateGrant to a principal with neither a policy nor a grant allowing it', async () => {
    const res = await grant(APP, { GranteePrincipal: APP, Operations: ['Decrypt'] });
    expect(res.json.__type).toBe('AccessDeniedException');
  });

  it('lists retirable grants only when identity policies allow kms:ListRetirableGrants', async () => {
    await grant(ADMIN, {
      GranteePrincipal: APP,
      RetiringPrincipal: RETIRER,
      Operations: ['Decrypt'],
    });
    const refused = await t.call(RETIRER, 'ListRetirableGrants', { RetiringPrincipal: RETIRER });
    expect(refused.json.__type).toBe('AccessDeniedException');
    t.policy.statements.push({
      effect: 'Allow',
      principal: RETIRER,
      action: 'kms:ListRetirableGrants',
    });
    const ok = await t.call(RETIRER, 'ListRetirableGrants', { RetiringPrincipal: RETIRER });
    expect(ok.json.Grants).toHaveLength(1);
  });
});
