import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  ListAliasesCommand,
  ListKeysCommand,
  ListKeyRotationsCommand,
  ListResourceTagsCommand,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateAliasCommand,
  UpdateKeyDescriptionCommand,
} from '@aws-sdk/client-kms';
import { startTrentProcess, tempDir, type RunningTrent } from './process.js';

const running: RunningTrent[] = [];
async function serve(args: readonly string[]): Promise<RunningTrent> {
  const t = await startTrentProcess(args);
  running.push(t);
  return t;
}
afterEach(async () => {
  for (const t of running.splice(0)) await t.stop();
});

describe('durability of acknowledged writes', () => {
  it('keeps every acknowledged write across kill -9 and a restart', async () => {
    const dataDir = tempDir();
    const first = await serve(['--data-dir', dataDir]);
    const kms = first.kms;
    const a = (await kms.send(new CreateKeyCommand({ Description: 'durable a' }))).KeyMetadata!;
    const b = (
      await kms.send(
        new CreateKeyCommand({
          Description: 'durable b',
          Tags: [{ TagKey: 'created', TagValue: 'with-key' }],
        }),
      )
    ).KeyMetadata!;
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/durable', TargetKeyId: a.KeyId }));
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/moved', TargetKeyId: a.KeyId }));
    await kms.send(new UpdateAliasCommand({ AliasName: 'alias/moved', TargetKeyId: b.KeyId }));
    await kms.send(
      new TagResourceCommand({
        KeyId: a.KeyId,
        Tags: [
          { TagKey: 'env', TagValue: 'prod' },
          { TagKey: 'gone', TagValue: 'soon' },
        ],
      }),
    );
    await kms.send(new UntagResourceCommand({ KeyId: a.KeyId, TagKeys: ['gone'] }));
    const enc = await kms.send(
      new EncryptCommand({
        KeyId: 'alias/durable',
        Plaintext: Buffer.from('survives kill -9'),
        EncryptionContext: { purpose: 'durability' },
      }),
    );
    const dataKey = await kms.send(
      new GenerateDataKeyCommand({ KeyId: b.KeyId, KeySpec: 'AES_256' }),
    );
    // State changes: b disabled, a disabled and enabled again, a third key scheduled and cancelled,
    // one pending deletion; a's description changed; a rotated on demand with automatic rotation on.
    await kms.send(new DisableKeyCommand({ KeyId: b.KeyId }));
    await kms.send(new DisableKeyCommand({ KeyId: a.KeyId }));
    await kms.send(new EnableKeyCommand({ KeyId: a.Arn }));
    await kms.send(new UpdateKeyDescriptionCommand({ KeyId: a.KeyId, Description: 'renamed a' }));
    await kms.send(new EnableKeyRotationCommand({ KeyId: a.KeyId, RotationPeriodInDays: 90 }));
    const rotated = await kms.send(new RotateKeyOnDemandCommand({ KeyId: a.KeyId }));
    expect([a.KeyId, a.Arn]).toContain(rotated.KeyId);
    const afterRotation = (await kms.send(new DescribeKeyCommand({ KeyId: a.KeyId }))).KeyMetadata!;
    expect(afterRotation.CurrentKeyMaterialId).not.toBe(a.CurrentKeyMaterialId);
    const encAfterRotation = await kms.send(
      new EncryptCommand({ KeyId: a.KeyId, Plaintext: Buffer.from('after rotation') }),
    );
    const c = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: c.KeyId, PendingWindowInDays: 7 }));
    await kms.send(new CancelKeyDeletionCommand({ KeyId: c.KeyId }));
    const d = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const scheduled = await kms.send(
      new ScheduleKeyDeletionCommand({ KeyId: d.KeyId, PendingWindowInDays: 7 }),
    );

    // No graceful shutdown: the process dies at once.
    first.kms.destroy();
    first.child.kill('SIGKILL');
    const died = await first.exited;
    expect(died.signal).toBe('SIGKILL');
    running.splice(0);

    const second = await serve(['--data-dir', dataDir]);
    const keys = await second.kms.send(new ListKeysCommand({}));
    expect(keys.Keys!.map((k) => k.KeyId).sort()).toEqual(
      [a.KeyId, b.KeyId, c.KeyId, d.KeyId].sort(),
    );
    const described = await second.kms.send(new DescribeKeyCommand({ KeyId: 'alias/durable' }));
    expect(described.KeyMetadata).toMatchObject({
      KeyId: a.KeyId,
      Description: 'renamed a',
      KeyState: 'Enabled',
      CurrentKeyMaterialId: afterRotation.CurrentKeyMaterialId,
    });
    const stateOf = async (keyId: string | undefined) =>
      (await second.kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!;
    expect((await stateOf(b.KeyId)).KeyState).toBe('Disabled');
    expect((await stateOf(c.KeyId)).KeyState).toBe('Disabled');
    const pending = await stateOf(d.KeyId);
    expect(pending.KeyState).toBe('PendingDeletion');
    expect(pending.DeletionDate).toEqual(scheduled.DeletionDate);
    const rotations = await second.kms.send(new ListKeyRotationsCommand({ KeyId: a.KeyId }));
    expect(rotations.Rotations!.map((r) => r.KeyMaterialId)).toContain(
      afterRotation.CurrentKeyMaterialId,
    );
    const decAfter = await second.kms.send(
      new DecryptCommand({ CiphertextBlob: encAfterRotation.CiphertextBlob }),
    );
    expect(Buffer.from(decAfter.Plaintext!).toString()).toBe('after rotation');
    await second.kms.send(new EnableKeyCommand({ KeyId: b.KeyId }));
    const aliases = await second.kms.send(new ListAliasesCommand({}));
    expect(aliases.Aliases!.map((x) => [x.AliasName, x.TargetKeyId])).toEqual([
      ['alias/durable', a.KeyId],
      ['alias/moved', b.KeyId],
    ]);
    const tagsA = await second.kms.send(new ListResourceTagsCommand({ KeyId: a.KeyId }));
    expect(tagsA.Tags).toEqual([{ TagKey: 'env', TagValue: 'prod' }]);
    const tagsB = await second.kms.send(new ListResourceTagsCommand({ KeyId: b.Arn }));
    expect(tagsB.Tags).toEqual([{ TagKey: 'created', TagValue: 'with-key' }]);
    const dec = await second.kms.send(
      new DecryptCommand({
        CiphertextBlob: enc.CiphertextBlob,
        EncryptionContext: { purpose: 'durability' },
      }),
    );
    expect(Buffer.from(dec.Plaintext!).toString()).toBe('survives kill -9');
    const dk = await second.kms.send(
      new DecryptCommand({ CiphertextBlob: dataKey.CiphertextBlob }),
    );
    expect(Buffer.from(dk.Plaintext!).equals(Buffer.from(dataKey.Plaintext!))).toBe(true);
  });
});

describe('graceful shutdown', () => {
  it('finishes an in-flight request after SIGTERM, then exits 0', async () => {
    const t = await serve(['--dev']);
    const { hostname, port } = new URL(t.url);
    const body = JSON.stringify({ Description: 'in flight' });
    const socket = connect(Number(port), hostname);
    let response = '';
    socket.setEncoding('utf8').on('data', (d: string) => (response += d));
    const closed = new Promise<void>((resolve) =>
      socket.on('close', () => {
        resolve();
      }),
    );
    await new Promise<void>((resolve) =>
      socket.on('connect', () => {
        resolve();
      }),
    );
    // Headers and half of the body: the request is in flight.
    socket.write(
      'POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.1\r\n' +
        `X-Amz-Target: TrentService.CreateKey\r\nContent-Length: ${String(body.length)}\r\n\r\n` +
        body.slice(0, 10),
    );
    // Wait until the server has seen the request before asking it to stop.
    await new Promise((resolve) => setTimeout(resolve, 200));
    t.child.kill('SIGTERM');
    await new Promise<void>((resolve) => {
      const check = () => {
        if (t.stderr().includes('SIGTERM received')) resolve();
        else setTimeout(check, 20);
      };
      check();
    });
    socket.end(body.slice(10));
    await closed;
    expect(response).toMatch(/^HTTP\/1\.1 200 /);
    expect(response).toContain('"Description":"in flight"');
    const finished = await t.exited;
    expect(finished.code).toBe(0);
    // No new connections are accepted once it has stopped.
    await expect(fetch(`${t.url}/healthz`)).rejects.toThrow();
  });

  it('also stops cleanly on SIGINT', async () => {
    const t = await serve(['--dev']);
    t.child.kill('SIGINT');
    const finished = await t.exited;
    expect(finished.code).toBe(0);
    expect(finished.stderr).toContain('SIGINT received');
  });
});

describe('POST /_trent/reset', () => {
  it('wipes every key in dev mode', async () => {
    const t = await serve(['--dev']);
    await t.kms.send(new CreateKeyCommand({}));
    const res = await fetch(`${t.url}/_trent/reset`, { method: 'POST' });
    expect(res.status).toBe(200);
    const keys = await t.kms.send(new ListKeysCommand({}));
    expect(keys.Keys).toEqual([]);
  });

  it('does not exist outside dev mode and leaves the keys alone', async () => {
    const t = await serve(['--data-dir', tempDir()]);
    await t.kms.send(new CreateKeyCommand({}));
    const res = await fetch(`${t.url}/_trent/reset`, { method: 'POST' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { __type: string }).__type).toBe('UnknownOperationException');
    const keys = await t.kms.send(new ListKeysCommand({}));
    expect(keys.Keys).toHaveLength(1);
  });
});
