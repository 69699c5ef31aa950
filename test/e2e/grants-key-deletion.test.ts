import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CreateGrantCommand,
  CreateKeyCommand,
  EncryptCommand,
  ListGrantsCommand,
  ListRetirableGrantsCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { FakeClock } from '../fakes/fake-clock.js';
import { startHarness, type Harness } from './harness.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const RETIRER = 'arn:aws:iam::111122223333:role/retirer';

let h: Harness | undefined;
let dir: string | undefined;
afterEach(async () => {
  await h?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  h = undefined;
  dir = undefined;
});

describe('grants and the life of their key', () => {
  it('vanish when their key is destroyed, and stay gone after a restart', async () => {
    const clock = new FakeClock();
    dir = mkdtempSync(join(tmpdir(), 'trent-grants-e2e-'));
    h = await startHarness({ dev: false, dataDir: dir }, clock);
    const { KeyMetadata } = await h.kms.send(new CreateKeyCommand({}));
    const keyId = KeyMetadata!.KeyId!;
    const grant = await h.kms.send(
      new CreateGrantCommand({
        KeyId: keyId,
        GranteePrincipal: RETIRER,
        RetiringPrincipal: RETIRER,
        Operations: ['Encrypt'],
      }),
    );
    await h.kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    // While the key is pending deletion its grants are still listed.
    expect((await h.kms.send(new ListGrantsCommand({ KeyId: keyId }))).Grants).toHaveLength(1);
    clock.advance(7 * DAY_MS);
    await h.trent.scheduler.runDue();
    const retirable = await h.kms.send(
      new ListRetirableGrantsCommand({ RetiringPrincipal: RETIRER }),
    );
    expect(retirable.Grants).toEqual([]);
    const other = await h.kms.send(new CreateKeyCommand({}));
    await expect(
      h.kms.send(
        new EncryptCommand({
          KeyId: other.KeyMetadata!.KeyId,
          Plaintext: Buffer.from('x'),
          GrantTokens: [grant.GrantToken!],
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidGrantTokenException' });

    await h.stop();
    h = await startHarness({ dev: false, dataDir: dir }, clock);
    const after = await h.kms.send(new ListRetirableGrantsCommand({ RetiringPrincipal: RETIRER }));
    expect(after.Grants).toEqual([]);
  });

  it('survive a restart with their tokens', async () => {
    dir = mkdtempSync(join(tmpdir(), 'trent-grants-e2e-'));
    h = await startHarness({ dev: false, dataDir: dir });
    const { KeyMetadata } = await h.kms.send(new CreateKeyCommand({}));
    const keyId = KeyMetadata!.KeyId!;
    const grant = await h.kms.send(
      new CreateGrantCommand({
        KeyId: keyId,
        GranteePrincipal: RETIRER,
        Operations: ['Encrypt'],
        Constraints: { EncryptionContextSubset: { tenant: 't1' } },
        Name: 'kept',
      }),
    );
    await h.stop();
    h = await startHarness({ dev: false, dataDir: dir });
    const listed = await h.kms.send(new ListGrantsCommand({ KeyId: keyId }));
    expect(listed.Grants).toMatchObject([
      {
        GrantId: grant.GrantId,
        Name: 'kept',
        Constraints: { EncryptionContextSubset: { tenant: 't1' } },
      },
    ]);
    await h.kms.send(
      new EncryptCommand({
        KeyId: keyId,
        Plaintext: Buffer.from('x'),
        GrantTokens: [grant.GrantToken!],
      }),
    );
  });
});
