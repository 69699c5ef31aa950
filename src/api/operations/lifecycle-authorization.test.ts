// In-process pipeline tests (fastify inject): each life-cycle operation asks the authorizer for
// kms:<Operation> on the right key, and a refusal changes nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  startInProcessPipeline,
  type InProcessPipeline,
  type RecordingAuthorizer,
} from '../../../test/fakes/in-process-pipeline.js';

let pipeline: InProcessPipeline;
let authorizer: RecordingAuthorizer;

beforeEach(async () => {
  pipeline = await startInProcessPipeline();
  authorizer = pipeline.authorizer;
});
afterEach(async () => {
  await pipeline.close();
});

function call(operation: string, body: Record<string, unknown>) {
  return pipeline.call(operation, body);
}

function newKeyId(): Promise<string> {
  return pipeline.newKeyId();
}

describe('authorization of life-cycle operations', () => {
  it('asks for kms:<Operation> on the key each management operation names', async () => {
    const keyId = await newKeyId();
    const requests: [string, Record<string, unknown>][] = [
      ['UpdateKeyDescription', { KeyId: keyId, Description: 'd' }],
      ['DisableKey', { KeyId: keyId }],
      ['EnableKey', { KeyId: keyId }],
      ['EnableKeyRotation', { KeyId: keyId }],
      ['GetKeyRotationStatus', { KeyId: keyId }],
      ['DisableKeyRotation', { KeyId: keyId }],
      ['RotateKeyOnDemand', { KeyId: keyId }],
      ['ListKeyRotations', { KeyId: keyId }],
      ['GetKeyLastUsage', { KeyId: keyId }],
      ['GetKeyPolicy', { KeyId: keyId }],
      ['ListKeyPolicies', { KeyId: keyId }],
      ['ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 }],
      ['CancelKeyDeletion', { KeyId: keyId }],
    ];
    for (const [operation, body] of requests) {
      authorizer.seen.length = 0;
      const res = await call(operation, body);
      expect(res.status, operation).toBe(200);
      expect(authorizer.seen).toEqual([{ action: `kms:${operation}`, keyId }]);
    }
  });

  it('asks for kms:ReEncryptFrom on the source key and kms:ReEncryptTo on the destination', async () => {
    const source = await newKeyId();
    const destination = await newKeyId();
    const enc = await call('Encrypt', {
      KeyId: source,
      Plaintext: Buffer.from('x').toString('base64'),
    });
    authorizer.seen.length = 0;
    const res = await call('ReEncrypt', {
      CiphertextBlob: enc.json.CiphertextBlob,
      DestinationKeyId: destination,
    });
    expect(res.status).toBe(200);
    expect(authorizer.seen).toEqual([
      { action: 'kms:ReEncryptFrom', keyId: source },
      { action: 'kms:ReEncryptTo', keyId: destination },
    ]);
  });

  it('asks for kms:GenerateRandom on no key', async () => {
    await call('GenerateRandom', { NumberOfBytes: 8 });
    expect(authorizer.seen).toEqual([{ action: 'kms:GenerateRandom', keyId: undefined }]);
  });

  it('changes nothing when the authorizer refuses', async () => {
    const keyId = await newKeyId();
    authorizer.deny = true;
    for (const [operation, body] of [
      ['DisableKey', { KeyId: keyId }],
      ['ScheduleKeyDeletion', { KeyId: keyId }],
      ['EnableKeyRotation', { KeyId: keyId }],
      ['RotateKeyOnDemand', { KeyId: keyId }],
      ['UpdateKeyDescription', { KeyId: keyId, Description: 'changed' }],
      ['PutKeyPolicy', { KeyId: keyId, Policy: '{"Statement":[]}' }],
    ] as const) {
      const res = await call(operation, body);
      expect(res.json.__type, operation).toBe('AccessDeniedException');
    }
    authorizer.deny = false;
    const { json } = await call('DescribeKey', { KeyId: keyId });
    const meta = json.KeyMetadata as Record<string, unknown>;
    expect(meta.KeyState).toBe('Enabled');
    expect(meta.Description).toBe('');
    const rotations = await call('ListKeyRotations', { KeyId: keyId });
    expect(rotations.json.Rotations).toEqual([]);
    const status = await call('GetKeyRotationStatus', { KeyId: keyId });
    expect(status.json.KeyRotationEnabled).toBe(false);
    const policy = await call('GetKeyPolicy', { KeyId: keyId });
    expect(policy.json.Policy).not.toBe('{"Statement":[]}');
  });
});
