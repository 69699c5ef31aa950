// In-process pipeline tests (fastify inject): each life-cycle operation asks the authorizer for
// kms:<Operation> on the right key, and a refusal changes nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { FastifyInstance } from 'fastify';
import { testConfig } from '../../../test/e2e/harness.js';
import { FakeClock } from '../../../test/fakes/fake-clock.js';
import type { AuthorizationRequest, Authorizer } from '../../authz/authorizer.js';
import { GrantRegistry } from '../../authz/grants/grant-registry.js';
import { AccessDeniedException } from '../../errors.js';
import { Keyring } from '../../keys/keyring.js';
import { generateRootKey } from '../../root/root-key.js';
import { openSqliteDatabase } from '../../store/sqlite/database.js';
import { sqliteGrantStore } from '../../store/sqlite/grant-store.js';
import { sqliteStore } from '../../store/sqlite/sqlite-store.js';
import type { Store } from '../../store/store.js';
import { buildServer } from '../server.js';

class RecordingAuthorizer implements Authorizer {
  readonly seen: { action: string; keyId: string | undefined }[] = [];
  deny = false;
  authorize(request: AuthorizationRequest): void {
    this.seen.push({ action: request.action, keyId: request.resource?.keyId });
    if (this.deny) throw new AccessDeniedException(`not allowed: ${request.action}`);
  }
  checkKeyPolicy(): void {
    /* every policy is acceptable here */
  }
}

let store: Store;
let app: FastifyInstance;
let authorizer: RecordingAuthorizer;

beforeEach(async () => {
  const db = openSqliteDatabase(':memory:');
  store = sqliteStore(db);
  const config = testConfig();
  const keyring = await Keyring.open(store, generateRootKey(), config.partition);
  const grants = await GrantRegistry.open({
    store: sqliteGrantStore(db),
    keyExists: (keyId) => keyring.get(keyId) !== undefined,
  });
  authorizer = new RecordingAuthorizer();
  app = buildServer({
    services: {
      keyring,
      authorizer,
      grants,
      clock: new FakeClock(),
      config,
      region: config.region,
    },
    logger: pino({ level: 'silent' }),
    bodyLimitBytes: config.bodyLimitBytes,
    dev: true,
  });
});
afterEach(async () => {
  await app.close();
  await store.close();
});

async function call(
  operation: string,
  body: Record<string, unknown>,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await app.inject({
    method: 'POST',
    url: '/',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `TrentService.${operation}`,
    },
    payload: JSON.stringify(body),
  });
  return { status: res.statusCode, json: res.json() };
}

async function newKeyId(): Promise<string> {
  const { json } = await call('CreateKey', {});
  return (json.KeyMetadata as { KeyId: string }).KeyId;
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
