// CreateKey: a new customer managed key of any key spec, with fresh material wrapped under the root key.
import { randomUUID } from 'node:crypto';
import {
  type KmsError,
  LimitExceededException,
  UnsupportedOperationException,
  ValidationException,
} from '../../errors.js';
import { generateMaterial } from '../../crypto/key-generation.js';
import { keySpecs } from '../../crypto/key-specs.js';
import { defaultKeyPolicy } from '../../keys/default-policy.js';
import { checkTags, MAX_TAGS_PER_KEY } from '../../keys/tags.js';
import { keyArn } from '../../keys/arn.js';
import { KeyQuotaExceededError, type KeyRow } from '../../store/store.js';
import { defineOperation } from '../services.js';
import { keyMetadata } from './key-metadata.js';
import { tagConditions } from './conditions.js';

function keyQuotaReached(quota: number): KmsError {
  return new LimitExceededException(`An account can have at most ${String(quota)} KMS keys.`);
}

interface CreateKeyInput {
  Policy?: string;
  Description?: string;
  KeyUsage?: string;
  CustomerMasterKeySpec?: string;
  KeySpec?: string;
  Origin?: string;
  CustomKeyStoreId?: string;
  BypassPolicyLockoutSafetyCheck?: boolean;
  Tags?: { TagKey: string; TagValue: string }[];
  MultiRegion?: boolean;
  XksKeyId?: string;
}

export const createKey = defineOperation<CreateKeyInput>(
  'CreateKey',
  async (input, { caller, services }) => {
    const { keyring, clock, config, authorizer } = services;
    const requestedSpec = input.KeySpec ?? input.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT';
    // kms:KeySpec, kms:KeyUsage and kms:KeyOrigin apply to defaulted members too (AWS KMS condition keys).
    const conditions = tagConditions(input.Tags, {
      'kms:KeySpec': requestedSpec,
      'kms:KeyOrigin': input.Origin ?? 'AWS_KMS',
      'kms:MultiRegion': input.MultiRegion ?? false,
      'kms:BypassPolicyLockoutSafetyCheck': input.BypassPolicyLockoutSafetyCheck ?? false,
      'kms:KeyUsage': input.KeyUsage ?? 'ENCRYPT_DECRYPT',
    });
    authorizer.authorize({ caller, action: 'kms:CreateKey', conditions });
    if (input.KeySpec !== undefined && input.CustomerMasterKeySpec !== undefined) {
      throw new ValidationException(
        'You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec is deprecated; use KeySpec.',
      );
    }
    const keySpec = input.KeySpec ?? input.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT';
    const spec = keySpecs.get(keySpec);
    if (!spec?.supported)
      throw new UnsupportedOperationException(
        `KeySpec ${keySpec} is not supported by this server yet.`,
      );
    // KeyUsage defaults to ENCRYPT_DECRYPT (CreateKeyRequest.KeyUsage docs); other specs must name theirs.
    const keyUsage = input.KeyUsage ?? 'ENCRYPT_DECRYPT';
    if (!(keyUsage in spec.usages)) {
      throw new ValidationException(
        `KeyUsage ${keyUsage} is not compatible with KeySpec ${keySpec}.`,
      );
    }
    const origin = input.Origin ?? 'AWS_KMS';
    if (origin !== 'AWS_KMS')
      throw new UnsupportedOperationException(`Origin ${origin} is not supported by this server.`);
    if (input.CustomKeyStoreId !== undefined || input.XksKeyId !== undefined) {
      throw new UnsupportedOperationException(
        'Custom key stores are not supported by this server.',
      );
    }
    if (input.MultiRegion === true)
      throw new UnsupportedOperationException(
        'Multi-Region keys are not supported by this server.',
      );
    const tags = checkTags(input.Tags ?? []);
    if (tags.length > MAX_TAGS_PER_KEY)
      throw new LimitExceededException(
        `A KMS key can have at most ${String(MAX_TAGS_PER_KEY)} tags.`,
      );
    if (tags.length > 0) authorizer.authorize({ caller, action: 'kms:TagResource', conditions });
    const keyId = randomUUID();
    const policy = input.Policy ?? defaultKeyPolicy(config.partition, caller.accountId);
    if (input.Policy !== undefined) {
      authorizer.checkKeyPolicy({
        caller,
        policy: input.Policy,
        keyId,
        keyArn: keyArn(
          { partition: config.partition, region: services.region, accountId: caller.accountId },
          keyId,
        ),
        accountId: caller.accountId,
        bypassLockoutCheck: input.BypassPolicyLockoutSafetyCheck === true,
      });
    }

    // Generated outside the lock: an RSA_4096 key takes seconds.
    const plaintext = await generateMaterial(spec);
    return keyring.creating(keyId, async () => {
      // This process's count refuses most creations over the quota at once; the store's check, where
      // every process's writes meet, refuses those made elsewhere at the same time.
      const quota = config.keysPerAccount;
      if (keyring.countKeys(caller.accountId, services.region) >= quota) {
        plaintext.fill(0);
        throw keyQuotaReached(quota);
      }
      const now = clock.now();
      const material = keyring.newMaterial(keyId, now, null, plaintext);
      plaintext.fill(0);
      const row: KeyRow = {
        keyId,
        accountId: caller.accountId,
        region: services.region,
        createdAt: now,
        description: input.Description ?? '',
        keySpec,
        keyUsage,
        origin,
        state: 'Enabled',
        policy,
        deletionDate: null,
        pendingWindowInDays: null,
        rotationEnabled: false,
        rotationPeriodInDays: null,
        nextRotationAt: null,
        currentVersion: material.version,
        onDemandRotations: 0,
      };
      try {
        const key = await keyring.createKey(row, material, tags, quota);
        return { KeyMetadata: keyMetadata(key) };
      } catch (err) {
        if (err instanceof KeyQuotaExceededError) throw keyQuotaReached(quota);
        throw err;
      }
    });
  },
);
