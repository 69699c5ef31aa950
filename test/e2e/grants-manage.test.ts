import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateGrantCommand,
  CreateKeyCommand,
  EncryptCommand,
  ListGrantsCommand,
  ListRetirableGrantsCommand,
  RetireGrantCommand,
  RevokeGrantCommand,
  type GrantListEntry,
} from '@aws-sdk/client-kms';
import { startHarness, type Harness } from './harness.js';

const ALICE = 'arn:aws:iam::111122223333:user/alice';
const BOB = 'arn:aws:iam::111122223333:role/bob';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
});

async function newKey(): Promise<string> {
  const { KeyMetadata } = await h.kms.send(new CreateKeyCommand({}));
  return KeyMetadata!.KeyId!;
}

describe('listing, retiring and revoking grants over the wire', () => {
  it('pages ListGrants with Limit and Marker in creation order', async () => {
    const keyId = await newKey();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const g = await h.kms.send(
        new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: ALICE, Operations: ['Decrypt'] }),
      );
      ids.push(g.GrantId!);
    }
    const seen: GrantListEntry[] = [];
    let marker: string | undefined;
    do {
      const res = await h.kms.send(
        new ListGrantsCommand({ KeyId: keyId, Limit: 2, Marker: marker }),
      );
      seen.push(...res.Grants!);
      marker = res.NextMarker;
      expect(res.Truncated).toBe(marker !== undefined);
    } while (marker !== undefined);
    expect(seen.map((g) => g.GrantId).sort()).toEqual([...ids].sort());
  });

  it('filters ListGrants by grant id and grantee and rejects a malformed grant id', async () => {
    const keyId = await newKey();
    const a = await h.kms.send(
      new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: ALICE, Operations: ['Decrypt'] }),
    );
    await h.kms.send(
      new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: BOB, Operations: ['Decrypt'] }),
    );
    const byId = await h.kms.send(new ListGrantsCommand({ KeyId: keyId, GrantId: a.GrantId }));
    expect(byId.Grants!.map((g) => g.GrantId)).toEqual([a.GrantId]);
    const byGrantee = await h.kms.send(
      new ListGrantsCommand({ KeyId: keyId, GranteePrincipal: BOB }),
    );
    expect(byGrantee.Grants!.map((g) => g.GranteePrincipal)).toEqual([BOB]);
    await expect(
      h.kms.send(new ListGrantsCommand({ KeyId: keyId, GrantId: 'not-a-grant-id' })),
    ).rejects.toMatchObject({ name: 'InvalidGrantIdException' });
    await expect(
      h.kms.send(new ListGrantsCommand({ KeyId: keyId, Limit: 101 })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('lists the grants a principal can retire across keys', async () => {
    const retiring = 'arn:aws:iam::111122223333:role/retirer-' + String(Date.now());
    const k1 = await newKey();
    const k2 = await newKey();
    for (const keyId of [k1, k2]) {
      await h.kms.send(
        new CreateGrantCommand({
          KeyId: keyId,
          GranteePrincipal: ALICE,
          RetiringPrincipal: retiring,
          Operations: ['Decrypt'],
        }),
      );
    }
    const res = await h.kms.send(new ListRetirableGrantsCommand({ RetiringPrincipal: retiring }));
    expect(res.Grants!.map((g) => g.KeyId!.split('/')[1]).sort()).toEqual([k1, k2].sort());
    await expect(
      h.kms.send(
        new ListRetirableGrantsCommand({ RetiringPrincipal: 'arn:aws:iam::444455556666:root' }),
      ),
    ).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('retires a grant by token and by key ARN and grant id', async () => {
    const keyId = await newKey();
    const arn = `arn:aws:kms:us-east-1:111122223333:key/${keyId}`;
    const a = await h.kms.send(
      new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: ALICE, Operations: ['Decrypt'] }),
    );
    const b = await h.kms.send(
      new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: ALICE, Operations: ['Decrypt'] }),
    );
    await expect(
      h.kms.send(new RetireGrantCommand({ GrantToken: a.GrantToken, DryRun: true })),
    ).rejects.toMatchObject({ name: 'DryRunOperationException' });
    await h.kms.send(new RetireGrantCommand({ GrantToken: a.GrantToken }));
    await h.kms.send(new RetireGrantCommand({ KeyId: arn, GrantId: b.GrantId }));
    const listed = await h.kms.send(new ListGrantsCommand({ KeyId: keyId }));
    expect(listed.Grants).toHaveLength(0);
    await expect(
      h.kms.send(new RetireGrantCommand({ GrantToken: a.GrantToken })),
    ).rejects.toMatchObject({ name: 'InvalidGrantTokenException' });
    await expect(
      h.kms.send(new RetireGrantCommand({ KeyId: arn, GrantId: b.GrantId })),
    ).rejects.toMatchObject({ name: 'NotFoundException' });
    await expect(h.kms.send(new RetireGrantCommand({ KeyId: arn }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });

  it('revokes a grant, with DryRun first, and then refuses it as not found', async () => {
    const keyId = await newKey();
    const g = await h.kms.send(
      new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: ALICE, Operations: ['Decrypt'] }),
    );
    await expect(
      h.kms.send(new RevokeGrantCommand({ KeyId: keyId, GrantId: g.GrantId, DryRun: true })),
    ).rejects.toMatchObject({ name: 'DryRunOperationException' });
    await h.kms.send(new RevokeGrantCommand({ KeyId: keyId, GrantId: g.GrantId }));
    await expect(
      h.kms.send(new RevokeGrantCommand({ KeyId: keyId, GrantId: g.GrantId })),
    ).rejects.toMatchObject({ name: 'NotFoundException' });
    await expect(
      h.kms.send(new RevokeGrantCommand({ KeyId: keyId, GrantId: 'xyz' })),
    ).rejects.toMatchObject({ name: 'InvalidGrantIdException' });
    await expect(
      h.kms.send(
        new EncryptCommand({
          KeyId: keyId,
          Plaintext: Buffer.from('x'),
          GrantTokens: [g.GrantToken!],
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidGrantTokenException' });
  });

  it('forgets every grant when a dev server is reset', async () => {
    const keyId = await newKey();
    const g = await h.kms.send(
      new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: ALICE, Operations: ['Encrypt'] }),
    );
    const reset = await fetch(`${h.url}/_trent/reset`, { method: 'POST' });
    expect(reset.status).toBe(200);
    const fresh = await newKey();
    await expect(
      h.kms.send(
        new EncryptCommand({
          KeyId: fresh,
          Plaintext: Buffer.from('x'),
          GrantTokens: [g.GrantToken!],
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidGrantTokenException' });
    await expect(
      h.kms.send(new ListRetirableGrantsCommand({ RetiringPrincipal: ALICE })),
    ).resolves.toMatchObject({ Grants: [] });
  });

  it('records grant operations in the audit trail with their key and without tokens', async () => {
    const keyId = await newKey();
    const arn = `arn:aws:kms:us-east-1:111122223333:key/${keyId}`;
    const g = await h.kms.send(
      new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: ALICE, Operations: ['Decrypt'] }),
    );
    await h.kms.send(new RetireGrantCommand({ GrantToken: g.GrantToken }));
    await h.trent.audit.flush();
    const events = (await h.trent.auditStore.query({}))
      .map((r) => JSON.parse(r.event) as { eventName: string; resources: { ARN: string }[] })
      .filter((e) => e.resources.some((r) => r.ARN === arn));
    expect(events.map((e) => e.eventName)).toEqual(['CreateKey', 'CreateGrant', 'RetireGrant']);
    const text = JSON.stringify(await h.trent.auditStore.query({}));
    expect(text).toContain(g.GrantId);
    expect(text).not.toContain(g.GrantToken);
  });
});
