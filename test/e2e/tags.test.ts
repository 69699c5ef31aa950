import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  ListResourceTagsCommand,
  ScheduleKeyDeletionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type KeyMetadata,
} from '@aws-sdk/client-kms';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
});

async function newKey(tags: { TagKey: string; TagValue: string }[] = []): Promise<KeyMetadata> {
  const { KeyMetadata } = await h.kms.send(
    new CreateKeyCommand(tags.length > 0 ? { Tags: tags } : {}),
  );
  return KeyMetadata!;
}

async function tagsOf(keyId: string): Promise<Record<string, string>> {
  const res = await h.kms.send(new ListResourceTagsCommand({ KeyId: keyId }));
  return Object.fromEntries(res.Tags!.map((t) => [t.TagKey!, t.TagValue!]));
}

function manyTags(n: number, prefix = 't'): { TagKey: string; TagValue: string }[] {
  return Array.from({ length: n }, (_, i) => ({
    TagKey: `${prefix}${String(i).padStart(2, '0')}`,
    TagValue: String(i),
  }));
}

describe('TagResource', () => {
  it('adds tags and overwrites the value of an existing tag key', async () => {
    const key = await newKey([{ TagKey: 'env', TagValue: 'dev' }]);
    await h.kms.send(
      new TagResourceCommand({
        KeyId: key.Arn,
        Tags: [
          { TagKey: 'env', TagValue: 'prod' },
          { TagKey: 'team', TagValue: '' },
        ],
      }),
    );
    expect(await tagsOf(key.KeyId!)).toEqual({ env: 'prod', team: '' });
  });

  it('rejects tag keys beginning with aws: with TagException', async () => {
    const key = await newKey();
    await expect(
      h.kms.send(
        new TagResourceCommand({ KeyId: key.KeyId, Tags: [{ TagKey: 'aws:x', TagValue: '1' }] }),
      ),
    ).rejects.toMatchObject({ name: 'TagException' });
    expect(await tagsOf(key.KeyId!)).toEqual({});
  });

  it('rejects duplicate tag keys in one request with TagException', async () => {
    const key = await newKey();
    await expect(
      h.kms.send(
        new TagResourceCommand({
          KeyId: key.KeyId,
          Tags: [
            { TagKey: 'a', TagValue: '1' },
            { TagKey: 'a', TagValue: '2' },
          ],
        }),
      ),
    ).rejects.toMatchObject({ name: 'TagException' });
  });

  it('allows 50 tags per key and refuses the 51st with LimitExceededException', async () => {
    const key = await newKey(manyTags(49));
    await h.kms.send(
      new TagResourceCommand({ KeyId: key.KeyId, Tags: [{ TagKey: 'last', TagValue: 'x' }] }),
    );
    await expect(
      h.kms.send(
        new TagResourceCommand({ KeyId: key.KeyId, Tags: [{ TagKey: 'over', TagValue: 'x' }] }),
      ),
    ).rejects.toMatchObject({ name: 'LimitExceededException' });
    // Overwriting an existing tag at the limit is still allowed.
    await h.kms.send(
      new TagResourceCommand({ KeyId: key.KeyId, Tags: [{ TagKey: 'last', TagValue: 'y' }] }),
    );
    expect(Object.keys(await tagsOf(key.KeyId!))).toHaveLength(50);
  });

  it('takes a key id or key ARN but not an alias', async () => {
    const key = await newKey();
    const alias = `alias/tags-${String(Date.now())}`;
    await h.kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: key.KeyId }));
    await expect(
      h.kms.send(new TagResourceCommand({ KeyId: alias, Tags: [{ TagKey: 'a', TagValue: '1' }] })),
    ).rejects.toMatchObject({ name: 'NotFoundException' });
  });

  it('refuses tag changes on a key pending deletion with KMSInvalidStateException', async () => {
    const key = await newKey([{ TagKey: 'a', TagValue: '1' }]);
    await h.kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
    await expect(
      h.kms.send(
        new TagResourceCommand({ KeyId: key.KeyId, Tags: [{ TagKey: 'b', TagValue: '2' }] }),
      ),
    ).rejects.toMatchObject({ name: 'KMSInvalidStateException' });
    await expect(
      h.kms.send(new UntagResourceCommand({ KeyId: key.KeyId, TagKeys: ['a'] })),
    ).rejects.toMatchObject({ name: 'KMSInvalidStateException' });
    // Listing works in every state.
    expect(await tagsOf(key.KeyId!)).toEqual({ a: '1' });
  });
});

describe('UntagResource', () => {
  it('removes the named tags and ignores tag keys the key does not have', async () => {
    const key = await newKey([
      { TagKey: 'a', TagValue: '1' },
      { TagKey: 'b', TagValue: '2' },
    ]);
    await h.kms.send(new UntagResourceCommand({ KeyId: key.KeyId, TagKeys: ['a', 'missing'] }));
    expect(await tagsOf(key.KeyId!)).toEqual({ b: '2' });
  });

  it('answers NotFoundException for an unknown key', async () => {
    await expect(
      h.kms.send(
        new UntagResourceCommand({
          KeyId: '00000000-0000-0000-0000-000000000000',
          TagKeys: ['a'],
        }),
      ),
    ).rejects.toMatchObject({ name: 'NotFoundException' });
  });
});

describe('ListResourceTags', () => {
  it('pages through tags in tag-key order', async () => {
    const key = await newKey(manyTags(7).reverse());
    const seen: string[] = [];
    let marker: string | undefined;
    for (;;) {
      const res = await h.kms.send(
        new ListResourceTagsCommand({
          KeyId: key.KeyId,
          Limit: 3,
          ...(marker ? { Marker: marker } : {}),
        }),
      );
      seen.push(...res.Tags!.map((t) => t.TagKey!));
      if (!res.Truncated) break;
      marker = res.NextMarker;
    }
    expect(seen).toEqual(manyTags(7).map((t) => t.TagKey));
  });

  it('returns at most 50 by default and refuses a Limit above 50', async () => {
    const key = await newKey(manyTags(50));
    const res = await h.kms.send(new ListResourceTagsCommand({ KeyId: key.KeyId }));
    expect(res.Tags).toHaveLength(50);
    expect(res.Truncated).toBe(false);
    await expect(
      h.kms.send(new ListResourceTagsCommand({ KeyId: key.KeyId, Limit: 51 })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('rejects a bad marker with InvalidMarkerException', async () => {
    const key = await newKey();
    await expect(
      h.kms.send(new ListResourceTagsCommand({ KeyId: key.KeyId, Marker: 'bogus' })),
    ).rejects.toMatchObject({ name: 'InvalidMarkerException' });
  });
});
