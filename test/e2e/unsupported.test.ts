import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateCustomKeyStoreCommand,
  CreateKeyCommand,
  DescribeCustomKeyStoresCommand,
  GetParametersForImportCommand,
  ReplicateKeyCommand,
} from '@aws-sdk/client-kms';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
});

describe('features the server does not offer', () => {
  it('answers UnsupportedOperationException for imported material, custom key stores and multi-Region keys', async () => {
    const { KeyMetadata } = await h.kms.send(new CreateKeyCommand({}));
    const keyId = KeyMetadata!.KeyId!;
    await expect(
      h.kms.send(
        new GetParametersForImportCommand({
          KeyId: keyId,
          WrappingAlgorithm: 'RSAES_OAEP_SHA_256',
          WrappingKeySpec: 'RSA_2048',
        }),
      ),
    ).rejects.toMatchObject({ name: 'UnsupportedOperationException' });
    await expect(
      h.kms.send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: 'eu-west-1' })),
    ).rejects.toMatchObject({
      name: 'UnsupportedOperationException',
    });
    await expect(
      h.kms.send(new CreateCustomKeyStoreCommand({ CustomKeyStoreName: 'hsm' })),
    ).rejects.toMatchObject({
      name: 'UnsupportedOperationException',
    });
  });

  it('lists no custom key stores, and finds none by id', async () => {
    const listed = await h.kms.send(new DescribeCustomKeyStoresCommand({}));
    expect(listed.CustomKeyStores).toEqual([]);
    expect(listed.Truncated).toBe(false);
    await expect(
      h.kms.send(new DescribeCustomKeyStoresCommand({ CustomKeyStoreId: 'cks-1234567890abcdef0' })),
    ).rejects.toMatchObject({ name: 'CustomKeyStoreNotFoundException' });
  });
});
