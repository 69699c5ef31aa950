// In-process pipeline tests (fastify inject): alias and tag operations ask the authorizer for
// kms:<Operation> on the right key(s), and a refusal changes nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { FastifyInstance } from 'fastify';
import { testConfig } from '../../../test/e2e/harness.js';
import { FakeClock } from '../../../test/fakes/fake-clock.js';
import type { AuthorizationRequest, Authorizer } from '../../authz/authorizer.js';
import { AccessDeniedException } from '../../errors.js';
import { Keyring } from '../../keys/keyring.js';
import { generateRootKey } from '../../root/root-key.js';
import { GrantRegistry } from '../../authz/grants/grant-registry.js';
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

describe('authorization of alias and tag operations', () => {
  it('asks for kms:<Operation> on the alias and the key (both keys for UpdateAlias)', async () => {
    const a = await newKeyId();
    const b = await newKeyId();
    authorizer.seen.length = 0;
    const requests: [string, Record<string, unknown>][] = [
      ['CreateAlias', { AliasName: 'alias/x', TargetKeyId: a }],
      ['UpdateAlias', { AliasName: 'alias/x', TargetKeyId: b }],
      ['DeleteAlias', { AliasName: 'alias/x' }],
      ['TagResource', { KeyId: a, Tags: [{ TagKey: 't', TagValue: 'v' }] }],
      ['ListResourceTags', { KeyId: a }],
      ['UntagResource', { KeyId: a, TagKeys: ['t'] }],
      ['ListAliases', {}],
    ];
    for (const [operation, body] of requests) {
      const res = await call(operation, body);
      expect({ operation, status: res.status }).toEqual({ operation, status: 200 });
    }
    // Alias operations are authorized on the alias (no key resource) and on the key(s).
    expect(authorizer.seen).toEqual([
      { action: 'kms:CreateAlias', keyId: undefined },
      { action: 'kms:CreateAlias', keyId: a },
      { action: 'kms:UpdateAlias', keyId: undefined },
      { action: 'kms:UpdateAlias', keyId: a },
      { action: 'kms:UpdateAlias', keyId: b },
      { action: 'kms:DeleteAlias', keyId: undefined },
      { action: 'kms:DeleteAlias', keyId: b },
      { action: 'kms:TagResource', keyId: a },
      { action: 'kms:ListResourceTags', keyId: a },
      { action: 'kms:UntagResource', keyId: a },
      // ListAliases is an account-level permission: no key resource.
      { action: 'kms:ListAliases', keyId: undefined },
    ]);
  });

  it('changes nothing when the authorizer refuses', async () => {
    const a = await newKeyId();
    const b = await newKeyId();
    await call('CreateAlias', { AliasName: 'alias/kept', TargetKeyId: a });
    await call('TagResource', { KeyId: a, Tags: [{ TagKey: 'keep', TagValue: '1' }] });
    authorizer.deny = true;
    const refused: [string, Record<string, unknown>][] = [
      ['CreateAlias', { AliasName: 'alias/new', TargetKeyId: a }],
      ['UpdateAlias', { AliasName: 'alias/kept', TargetKeyId: b }],
      ['DeleteAlias', { AliasName: 'alias/kept' }],
      ['TagResource', { KeyId: a, Tags: [{ TagKey: 'other', TagValue: '2' }] }],
      ['UntagResource', { KeyId: a, TagKeys: ['keep'] }],
    ];
    for (const [operation, body] of refused) {
      const res = await call(operation, body);
      expect({ operation, type: res.json.__type }).toEqual({
        operation,
        type: 'AccessDeniedException',
      });
    }
    authorizer.deny = false;
    const aliases = await call('ListAliases', {});
    expect(aliases.json.Aliases).toEqual([
      expect.objectContaining({ AliasName: 'alias/kept', TargetKeyId: a }),
    ]);
    const tags = await call('ListResourceTags', { KeyId: a });
    expect(tags.json.Tags).toEqual([{ TagKey: 'keep', TagValue: '1' }]);
  });
});
