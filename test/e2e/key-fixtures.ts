// Small helpers the key life-cycle tests share: make a key, point an alias at it, expect an AWS error.
import { CreateAliasCommand, CreateKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { expect } from 'vitest';
import type { Harness } from './harness.js';

export interface CreatedKey {
  readonly keyId: string;
  readonly arn: string;
}

export async function createTestKey(kms: KMSClient, description = ''): Promise<CreatedKey> {
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: description }));
  return { keyId: KeyMetadata!.KeyId!, arn: KeyMetadata!.Arn! };
}

/** Points alias/<name> at the key with CreateAlias. */
export async function putTestAlias(
  h: Harness,
  keyId: string,
  name: string,
): Promise<{ aliasName: string; aliasArn: string }> {
  const { config } = h.trent.services;
  const aliasName = `alias/${name}`;
  await h.kms.send(new CreateAliasCommand({ AliasName: aliasName, TargetKeyId: keyId }));
  return {
    aliasName,
    aliasArn: `arn:${config.partition}:kms:${config.region}:${config.accountId}:${aliasName}`,
  };
}

/** Every identifier form of a key: key id, key ARN, alias name and alias ARN. */
export async function keyForms(
  h: Harness,
  key: CreatedKey,
  aliasSuffix: string,
): Promise<{ keyId: string; arn: string; aliasName: string; aliasArn: string }> {
  const alias = await putTestAlias(h, key.keyId, aliasSuffix);
  return { keyId: key.keyId, arn: key.arn, ...alias };
}

export async function expectAwsError(promise: Promise<unknown>, name: string): Promise<void> {
  await expect(promise).rejects.toMatchObject({ name });
}
