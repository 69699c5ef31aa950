// Starts a real Trent on a free loopback port and gives tests an AWS SDK client signed like any other.
import { KMSClient } from '@aws-sdk/client-kms';
import { pino, type Logger } from 'pino';
import { configSchema, type Config } from '../../src/config/schema.js';
import type { Clock } from '../../src/keys/clock.js';
import { startTrent, type Trent } from '../../src/main.js';

export interface Harness {
  readonly trent: Trent;
  readonly kms: KMSClient;
  readonly url: string;
  stop(): Promise<void>;
}

export const TEST_CREDENTIALS = {
  accessKeyId: 'AKIDTESTTESTTESTTEST',
  secretAccessKey: 'test-secret-key-for-dev-mode',
};

/** A test server's config: dev mode and no authentication unless overridden (a persistent
 *  `dev: false` server stays unauthenticated unless `auth: 'sigv4'` is given too). */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return Object.freeze(
    configSchema.parse({
      dev: true,
      auth: 'none',
      port: 0,
      host: '127.0.0.1',
      logLevel: 'silent',
      ...overrides,
    }),
  );
}

export function kmsClient(url: string, region = 'us-east-1'): KMSClient {
  return new KMSClient({ endpoint: url, region, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
}

export async function startHarness(
  overrides: Partial<Config> = {},
  clock?: Clock,
): Promise<Harness> {
  const config = testConfig(overrides);
  const trent = await startTrent(config, {
    logger: pino({ level: 'silent' }),
    ...(clock ? { clock } : {}),
  });
  const kms = kmsClient(trent.url, config.region);
  return {
    trent,
    kms,
    url: trent.url,
    async stop() {
      kms.destroy();
      await trent.close();
    },
  };
}

/** Sends a raw JSON 1.1 request, for malformed-input tests the SDK would refuse to send. */
export async function rawRequest(
  url: string,
  target: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${url}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target, ...headers },
    body,
  });
  const text = await res.text();
  return {
    status: res.status,
    json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
  };
}

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface AuthHarness extends Harness {
  /** The access key of `admin`, a user of the default account with an identity policy allowing kms:*. */
  readonly adminCredentials: AwsCredentials;
  /** A KMS client of the server signing with the given credentials. */
  client(credentials: AwsCredentials): KMSClient;
}

/**
 * Starts a real Trent with SigV4 enforced (in-memory store) and one administrator; tests make more
 * principals and keys through `trent.credentials`.
 */
export async function startAuthHarness(
  overrides: Partial<Config> = {},
  options: { clock?: Clock; logger?: Logger } = {},
): Promise<AuthHarness> {
  const config = testConfig({ auth: 'sigv4', ...overrides });
  let admin: AwsCredentials | undefined;
  const trent = await startTrent(config, {
    logger: options.logger ?? pino({ level: 'silent' }),
    ...(options.clock ? { clock: options.clock } : {}),
    onAdministratorCreated: (key) => {
      admin = { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
    },
  });
  const adminCredentials: AwsCredentials | undefined = admin;
  if (adminCredentials === undefined) throw new Error('the server made no administrator');
  const clients: KMSClient[] = [];
  const client = (credentials: AwsCredentials) => {
    const c = new KMSClient({
      endpoint: trent.url,
      region: config.region,
      credentials,
      maxAttempts: 1,
    });
    clients.push(c);
    return c;
  };
  return {
    trent,
    url: trent.url,
    kms: client(adminCredentials),
    adminCredentials,
    client,
    async stop() {
      for (const c of clients) c.destroy();
      await trent.close();
    },
  };
}
