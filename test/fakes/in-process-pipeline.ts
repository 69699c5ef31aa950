// The real request pipeline in-process (fastify inject, no socket) over an in-memory store, with an
// authorizer that records every question it is asked and can be told to refuse.
import { pino } from 'pino';
import type { FastifyInstance } from 'fastify';
import { testConfig } from '../e2e/harness.js';
import { FakeClock } from './fake-clock.js';
import type { AuthorizationRequest, Authorizer } from '../../src/authz/authorizer.js';
import { GrantRegistry } from '../../src/authz/grants/grant-registry.js';
import { AccessDeniedException } from '../../src/errors.js';
import { Keyring } from '../../src/keys/keyring.js';
import { generateRootKey } from '../../src/root/root-key.js';
import { openSqliteDatabase } from '../../src/store/sqlite/database.js';
import { sqliteGrantStore } from '../../src/store/sqlite/grant-store.js';
import { sqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { buildServer } from '../../src/api/server.js';

export class RecordingAuthorizer implements Authorizer {
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

export interface InProcessPipeline {
  readonly authorizer: RecordingAuthorizer;
  call(
    operation: string,
    body: Record<string, unknown>,
  ): Promise<{ status: number; json: Record<string, unknown> }>;
  /** Creates a symmetric key and returns its id. */
  newKeyId(): Promise<string>;
  close(): Promise<void>;
}

export async function startInProcessPipeline(): Promise<InProcessPipeline> {
  const db = openSqliteDatabase(':memory:');
  const store = sqliteStore(db);
  const config = testConfig();
  const keyring = await Keyring.open(store, generateRootKey(), config.partition);
  const grants = await GrantRegistry.open({
    store: sqliteGrantStore(db),
    keyExists: (keyId) => keyring.get(keyId) !== undefined,
  });
  const authorizer = new RecordingAuthorizer();
  const app: FastifyInstance = buildServer({
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
  const call: InProcessPipeline['call'] = async (operation, body) => {
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
  };
  return {
    authorizer,
    call,
    async newKeyId() {
      const { json } = await call('CreateKey', {});
      return (json.KeyMetadata as { KeyId: string }).KeyId;
    },
    async close() {
      await app.close();
      await store.close();
    },
  };
}
