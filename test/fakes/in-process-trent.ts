// An in-process Trent for operation tests: the real HTTP pipeline (fastify inject, no socket) on
// SQLite :memory:, with callers named per request by an `x-test-caller` header and the fake policy
// side in front of the real grant checker.
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { buildServer } from '../../src/api/server.js';
import type { Services } from '../../src/api/services.js';
import { GrantAuthority } from '../../src/authz/grants/grant-checker.js';
import { GrantRegistry } from '../../src/authz/grants/grant-registry.js';
import { withGrantTokenCheck } from '../../src/authz/grants/grant-token-gate.js';
import type { Caller } from '../../src/authz/principal.js';
import { configSchema } from '../../src/config/schema.js';
import { Keyring } from '../../src/keys/keyring.js';
import { generateRootKey } from '../../src/root/root-key.js';
import { openSqliteDatabase } from '../../src/store/sqlite/database.js';
import { sqliteGrantStore } from '../../src/store/sqlite/grant-store.js';
import { sqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { FakeClock } from './fake-clock.js';
import { FakePolicyAuthorizer, type FakeStatement } from './fake-policy.js';

export interface InProcessTrent {
  readonly services: Services;
  readonly policy: FakePolicyAuthorizer;
  readonly grantAuthority: GrantAuthority;
  /** The HTTP server, for tests that listen on a socket. */
  readonly server: FastifyInstance;
  /** Calls an operation as the principal `callerArn`; returns the status and the decoded body. */
  call(
    callerArn: string,
    operation: string,
    body: Record<string, unknown>,
  ): Promise<{ status: number; json: Record<string, unknown> }>;
  close(): Promise<void>;
}

export function callerOf(arn: string): Caller {
  const accountId = /::(\d{12}):/.exec(arn)?.[1];
  if (accountId === undefined) throw new Error(`no account in ${arn}`);
  return { accountId, arn };
}

export async function startInProcess(
  statements: FakeStatement[] = [],
  options: { grantsPerKey?: number; workerId?: number } = {},
): Promise<InProcessTrent> {
  const config = Object.freeze(configSchema.parse({ dev: true, logLevel: 'silent' }));
  const db = openSqliteDatabase(':memory:');
  const store = sqliteStore(db);
  const keyring = await Keyring.open(store, generateRootKey(), config.partition);
  const grants = await GrantRegistry.open({
    store: sqliteGrantStore(db),
    keyExists: (keyId) => keyring.get(keyId) !== undefined,
    ...(options.grantsPerKey !== undefined ? { grantsPerKey: options.grantsPerKey } : {}),
  });
  const grantAuthority = new GrantAuthority(grants);
  const policy = new FakePolicyAuthorizer(statements, grantAuthority);
  const services: Services = {
    keyring,
    grants,
    authorizer: withGrantTokenCheck(policy, grantAuthority),
    clock: new FakeClock(),
    config,
    region: config.region,
  };
  const app = buildServer({
    services,
    logger: pino({ level: 'silent' }),
    bodyLimitBytes: config.bodyLimitBytes,
    dev: true,
    ...(options.workerId !== undefined ? { workerId: options.workerId } : {}),
    authenticator: {
      authenticate: (request) => callerOf(String(request.headers['x-test-caller'])),
    },
  });
  await app.ready();
  return {
    services,
    policy,
    grantAuthority,
    server: app,
    async call(callerArn, operation, body) {
      const res = await app.inject({
        method: 'POST',
        url: '/',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': `TrentService.${operation}`,
          'x-test-caller': callerArn,
        },
        payload: JSON.stringify(body),
      });
      return {
        status: res.statusCode,
        json: res.body === '' ? {} : (JSON.parse(res.body) as Record<string, unknown>),
      };
    },
    async close() {
      await app.close();
      await store.close();
    },
  };
}
