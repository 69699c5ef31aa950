import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  ListAliasesCommand,
  ScheduleKeyDeletionCommand,
  UpdateAliasCommand,
  type KeyMetadata,
} from '@aws-sdk/client-kms';
import { rawRequest, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
});

const ALIAS_ARN_PREFIX = 'arn:aws:kms:us-east-1:111122223333:';
let counter = 0;
function uniqueAlias(): string {
  counter += 1;
  return `alias/test-${String(counter)}-${String(Date.now())}`;
}

async function newKey(): Promise<KeyMetadata> {
  const { KeyMetadata } = await h.kms.send(new CreateKeyCommand({}));
  return KeyMetadata!;
}

async function scheduleDeletion(keyId: string): Promise<void> {
  await h.kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
}

describe('CreateAlias', () => {
  it('creates an alias that resolves by alias name and alias ARN everywhere aliases are accepted', async () => {
    const key = await newKey();
    const alias = uniqueAlias();
    await h.kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: key.KeyId }));
    for (const ref of [alias, `${ALIAS_ARN_PREFIX}${alias}`]) {
      const described = await h.kms.send(new DescribeKeyCommand({ KeyId: ref }));
      expect(described.KeyMetadata!.KeyId).toBe(key.KeyId);
      const enc = await h.kms.send(
        new EncryptCommand({ KeyId: ref, Plaintext: Buffer.from('via alias') }),
      );
      expect(enc.KeyId).toBe(key.Arn);
      const dec = await h.kms.send(
        new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, KeyId: ref }),
      );
      expect(Buffer.from(dec.Plaintext!).toString()).toBe('via alias');
      const dk = await h.kms.send(new GenerateDataKeyCommand({ KeyId: ref, NumberOfBytes: 16 }));
      expect(dk.KeyId).toBe(key.Arn);
    }
  });

  it('does not resolve an alias ARN of another account or region', async () => {
    const key = await newKey();
    const alias = uniqueAlias();
    await h.kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: key.KeyId }));
    for (const arn of [
      `arn:aws:kms:us-east-1:444455556666:${alias}`,
      `arn:aws:kms:eu-west-1:111122223333:${alias}`,
    ]) {
      await expect(h.kms.send(new DescribeKeyCommand({ KeyId: arn }))).rejects.toMatchObject({
        name: 'NotFoundException',
        message: `Alias ${arn} is not found.`,
      });
    }
  });

  it('normalizes a key ARN TargetKeyId to the bare key id', async () => {
    const key = await newKey();
    const alias = uniqueAlias();
    await h.kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: key.Arn }));
    const listed = await h.kms.send(new ListAliasesCommand({ KeyId: key.KeyId }));
    expect(listed.Aliases).toEqual([
      expect.objectContaining({
        AliasName: alias,
        AliasArn: `${ALIAS_ARN_PREFIX}${alias}`,
        TargetKeyId: key.KeyId,
      }),
    ]);
    expect(listed.Aliases![0]!.CreationDate).toBeInstanceOf(Date);
    expect(listed.Aliases![0]!.LastUpdatedDate).toBeInstanceOf(Date);
  });

  it('rejects a TargetKeyId that is an alias with ValidationException', async () => {
    const key = await newKey();
    const alias = uniqueAlias();
    await h.kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: key.KeyId }));
    await expect(
      h.kms.send(new CreateAliasCommand({ AliasName: uniqueAlias(), TargetKeyId: alias })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('rejects a name without the alias/ prefix in AWS wording', async () => {
    const key = await newKey();
    await expect(
      h.kms.send(new CreateAliasCommand({ AliasName: 'my-key', TargetKeyId: key.KeyId })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message:
        'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html',
    });
  });

  it('refuses the reserved alias/aws/ namespace with NotAuthorizedException', async () => {
    const key = await newKey();
    await expect(
      h.kms.send(new CreateAliasCommand({ AliasName: 'alias/aws/s3', TargetKeyId: key.KeyId })),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  });

  it('rejects a colon in the name and characters outside the model pattern', async () => {
    const key = await newKey();
    await expect(
      h.kms.send(new CreateAliasCommand({ AliasName: 'alias/a:b', TargetKeyId: key.KeyId })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'alias/a:b contains invalid characters for an alias',
    });
    await expect(
      h.kms.send(new CreateAliasCommand({ AliasName: 'alias/a b', TargetKeyId: key.KeyId })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message:
        "1 validation error detected: Value 'alias/a b' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$",
    });
  });

  it('rejects an alias with nothing after the prefix with InvalidAliasNameException', async () => {
    const key = await newKey();
    await expect(
      h.kms.send(new CreateAliasCommand({ AliasName: 'alias/', TargetKeyId: key.KeyId })),
    ).rejects.toMatchObject({ name: 'InvalidAliasNameException' });
  });

  it('answers AlreadyExistsException for a name in use', async () => {
    const key = await newKey();
    const alias = uniqueAlias();
    await h.kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: key.KeyId }));
    await expect(
      h.kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: key.KeyId })),
    ).rejects.toMatchObject({
      name: 'AlreadyExistsException',
      message: `An alias with the name ${ALIAS_ARN_PREFIX}${alias} already exists`,
    });
  });

  it('answers NotFoundException for an unknown target key', async () => {
    await expect(
      h.kms.send(
        new CreateAliasCommand({
          AliasName: uniqueAlias(),
          TargetKeyId: '00000000-0000-0000-0000-000000000000',
        }),
      ),
    ).rejects.toMatchObject({ name: 'NotFoundException' });
  });

  it('allows 50 aliases per key and refuses the 51st with LimitExceededException', async () => {
    const key = await newKey();
    const prefix = uniqueAlias();
    for (let i = 0; i < 50; i++) {
      await h.kms.send(
        new CreateAliasCommand({ AliasName: `${prefix}-${String(i)}`, TargetKeyId: key.KeyId }),
      );
    }
    // The SDK retries LimitExceededException as throttling; the harness client makes one attempt.
    await expect(
      h.kms.send(new CreateAliasCommand({ AliasName: `${prefix}-50`, TargetKeyId: key.KeyId })),
    ).rejects.toMatchObject({ name: 'LimitExceededException' });
  });

  it('lets exactly 50 of 60 concurrent CreateAlias calls for one key succeed, and one of two for one name', async () => {
    const key = await newKey();
    const prefix = uniqueAlias();
    const results = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) =>
        h.kms.send(
          new CreateAliasCommand({ AliasName: `${prefix}-${String(i)}`, TargetKeyId: key.KeyId }),
        ),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(50);
    const listed = await h.kms.send(new ListAliasesCommand({ KeyId: key.KeyId, Limit: 100 }));
    expect(listed.Aliases).toHaveLength(50);
    const other = await newKey();
    const name = uniqueAlias();
    const race = await Promise.allSettled([
      h.kms.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: other.KeyId })),
      h.kms.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: other.KeyId })),
    ]);
    expect(race.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
  });

  it('refuses an alias for a key pending deletion with KMSInvalidStateException', async () => {
    const key = await newKey();
    await scheduleDeletion(key.KeyId!);
    await expect(
      h.kms.send(new CreateAliasCommand({ AliasName: uniqueAlias(), TargetKeyId: key.KeyId })),
    ).rejects.toMatchObject({
      name: 'KMSInvalidStateException',
      message: `${key.Arn!} is pending deletion.`,
    });
  });
});

describe('UpdateAlias', () => {
  it('repoints an alias to another key of the same type and usage', async () => {
    const a = await newKey();
    const b = await newKey();
    const alias = uniqueAlias();
    await h.kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: a.KeyId }));
    await h.kms.send(new UpdateAliasCommand({ AliasName: alias, TargetKeyId: b.Arn }));
    const described = await h.kms.send(new DescribeKeyCommand({ KeyId: alias }));
    expect(described.KeyMetadata!.KeyId).toBe(b.KeyId);
    const forA = await h.kms.send(new ListAliasesCommand({ KeyId: a.KeyId }));
    expect(forA.Aliases).toEqual([]);
  });

  it('answers NotFoundException for an alias that does not exist', async () => {
    const key = await newKey();
    const alias = uniqueAlias();
    await expect(
      h.kms.send(new UpdateAliasCommand({ AliasName: alias, TargetKeyId: key.KeyId })),
    ).rejects.toMatchObject({
      name: 'NotFoundException',
      message: `Alias ${ALIAS_ARN_PREFIX}${alias} is not found.`,
    });
  });

  it('succeeds when only the old target is pending deletion', async () => {
    const a = await newKey();
    const b = await newKey();
    const alias = uniqueAlias();
    await h.kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: a.KeyId }));
    await scheduleDeletion(a.KeyId!);
    await h.kms.send(new UpdateAliasCommand({ AliasName: alias, TargetKeyId: b.KeyId }));
    const described = await h.kms.send(new DescribeKeyCommand({ KeyId: alias }));
    expect(described.KeyMetadata!.KeyId).toBe(b.KeyId);
  });

  it('refuses a new target pending deletion with KMSInvalidStateException', async () => {
    const a = await newKey();
    const b = await newKey();
    const alias = uniqueAlias();
    await h.kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: a.KeyId }));
    await scheduleDeletion(b.KeyId!);
    await expect(
      h.kms.send(new UpdateAliasCommand({ AliasName: alias, TargetKeyId: b.KeyId })),
    ).rejects.toMatchObject({ name: 'KMSInvalidStateException' });
  });

  it('refuses a new target of another key type or usage with ValidationException', async () => {
    const a = await newKey();
    const alias = uniqueAlias();
    await h.kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: a.KeyId }));
    const hmac = await h.kms.send(
      new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }),
    );
    const hmacId = hmac.KeyMetadata!.KeyId;
    const signing = await h.kms.send(
      new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
    );
    await expect(
      h.kms.send(
        new UpdateAliasCommand({ AliasName: alias, TargetKeyId: signing.KeyMetadata!.KeyId }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(
      h.kms.send(new UpdateAliasCommand({ AliasName: alias, TargetKeyId: hmacId })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    const described = await h.kms.send(new DescribeKeyCommand({ KeyId: alias }));
    expect(described.KeyMetadata!.KeyId).toBe(a.KeyId);
  });

  it('refuses the reserved alias/aws/ namespace', async () => {
    const key = await newKey();
    await expect(
      h.kms.send(new UpdateAliasCommand({ AliasName: 'alias/aws/kms', TargetKeyId: key.KeyId })),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  });
});

describe('DeleteAlias', () => {
  it('deletes an alias, even of a key pending deletion, and leaves the key', async () => {
    const key = await newKey();
    const alias = uniqueAlias();
    await h.kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: key.KeyId }));
    await scheduleDeletion(key.KeyId!);
    await h.kms.send(new DeleteAliasCommand({ AliasName: alias }));
    await expect(h.kms.send(new DescribeKeyCommand({ KeyId: alias }))).rejects.toMatchObject({
      name: 'NotFoundException',
      message: `Alias ${ALIAS_ARN_PREFIX}${alias} is not found.`,
    });
    const described = await h.kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }));
    expect(described.KeyMetadata!.KeyState).toBe('PendingDeletion');
  });

  it('answers NotFoundException for an unknown alias', async () => {
    await expect(
      h.kms.send(new DeleteAliasCommand({ AliasName: uniqueAlias() })),
    ).rejects.toMatchObject({ name: 'NotFoundException' });
  });
});

describe('ListAliases', () => {
  it('pages through aliases in name order with opaque markers', async () => {
    const key = await newKey();
    const prefix = uniqueAlias();
    const names = ['c', 'a', 'b', 'e', 'd'].map((s) => `${prefix}-${s}`);
    for (const name of names)
      await h.kms.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: key.KeyId }));
    const seen: string[] = [];
    let marker: string | undefined;
    for (;;) {
      const res = await h.kms.send(
        new ListAliasesCommand({ KeyId: key.Arn, Limit: 2, ...(marker ? { Marker: marker } : {}) }),
      );
      expect(res.Aliases!.length).toBeLessThanOrEqual(2);
      seen.push(...res.Aliases!.map((a) => a.AliasName!));
      if (!res.Truncated) {
        expect(res.NextMarker).toBeUndefined();
        break;
      }
      marker = res.NextMarker;
    }
    expect(seen).toEqual([...names].sort());
  });

  it('defaults to 50 and refuses a Limit above 100 in AWS wording', async () => {
    await expect(h.kms.send(new ListAliasesCommand({ Limit: 101 }))).rejects.toMatchObject({
      name: 'ValidationException',
      message:
        "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100",
    });
    const res = await h.kms.send(new ListAliasesCommand({}));
    expect(res.Aliases!.length).toBeLessThanOrEqual(50);
  });

  it('rejects a bad marker with InvalidMarkerException', async () => {
    await expect(
      h.kms.send(new ListAliasesCommand({ Marker: 'not-a-marker' })),
    ).rejects.toMatchObject({ name: 'InvalidMarkerException' });
  });

  it('rejects an alias as the KeyId filter and an unknown key with NotFoundException', async () => {
    const key = await newKey();
    const alias = uniqueAlias();
    await h.kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: key.KeyId }));
    await expect(h.kms.send(new ListAliasesCommand({ KeyId: alias }))).rejects.toMatchObject({
      name: 'NotFoundException',
    });
    await expect(
      h.kms.send(new ListAliasesCommand({ KeyId: '00000000-0000-0000-0000-000000000000' })),
    ).rejects.toMatchObject({ name: 'NotFoundException' });
  });

  it('drops the aliases of a destroyed key', async () => {
    const key = await newKey();
    const alias = uniqueAlias();
    await h.kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: key.KeyId }));
    const { keyring } = h.trent.services;
    await keyring.exclusive(() => keyring.destroyKey(key.KeyId!));
    const res = await h.kms.send(new ListAliasesCommand({ Limit: 100 }));
    expect(res.Aliases!.map((a) => a.AliasName)).not.toContain(alias);
    await expect(h.kms.send(new DescribeKeyCommand({ KeyId: alias }))).rejects.toMatchObject({
      name: 'NotFoundException',
    });
    // The name is free again.
    const other = await newKey();
    await h.kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: other.KeyId }));
  });

  it('returns an empty body for CreateAlias on the wire', async () => {
    const key = await newKey();
    const res = await rawRequest(
      h.url,
      'TrentService.CreateAlias',
      JSON.stringify({ AliasName: uniqueAlias(), TargetKeyId: key.KeyId }),
    );
    expect(res.status).toBe(200);
    expect(res.json).toEqual({});
  });
});
