// SigV4 authentication over a real socket: SDK-signed requests, session credentials, revocation,
// clock skew, and the AWS error names a client sees for each kind of bad credential.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateKeyCommand, EncryptCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { signedHeaders, type SignOptions } from './signing.js';
import {
  startAuthHarness,
  startHarness,
  rawRequest,
  type AuthHarness,
  type AwsCredentials,
} from './harness.js';
import { FakeClock } from '../fakes/fake-clock.js';
import { ADMIN_POLICY } from '../../src/authz/credentials/bootstrap.js';

const MINUTE = 60_000;
let h: AuthHarness;
const clock = new FakeClock(Date.now());

beforeAll(async () => {
  h = await startAuthHarness({}, { clock });
});
afterAll(async () => {
  await h.stop();
});

function sts(credentials: AwsCredentials): STSClient {
  return new STSClient({ endpoint: h.url, region: 'us-east-1', credentials, maxAttempts: 1 });
}

async function errorOf(
  promise: Promise<unknown>,
): Promise<{ name: string; message: string; status?: number }> {
  try {
    await promise;
  } catch (err) {
    const e = err as Error & { $metadata?: { httpStatusCode?: number } };
    return {
      name: e.name,
      message: e.message,
      ...(e.$metadata?.httpStatusCode === undefined ? {} : { status: e.$metadata.httpStatusCode }),
    };
  }
  throw new Error('expected the request to fail');
}

function signed(credentials: AwsCredentials, body: string, options: SignOptions = {}) {
  return signedHeaders(h.url, credentials, body, { target: 'TrentService.ListKeys', ...options });
}

describe('SigV4 authentication', () => {
  it('accepts requests signed by @aws-sdk/client-kms with an active access key', async () => {
    const key = await h.kms.send(new CreateKeyCommand({}));
    const enc = await h.kms.send(
      new EncryptCommand({ KeyId: key.KeyMetadata!.KeyId, Plaintext: Buffer.from('x') }),
    );
    expect(enc.KeyId).toBe(key.KeyMetadata!.Arn);
  });

  it('rejects an unsigned request with MissingAuthenticationTokenException', async () => {
    const res = await rawRequest(h.url, 'TrentService.ListKeys', '{}');
    expect(res.status).toBe(403);
    expect(res.json.__type).toBe('MissingAuthenticationTokenException');
  });

  it('rejects an unknown access key id with UnrecognizedClientException', async () => {
    const client = h.client({
      accessKeyId: 'AKIAUNKNOWNUNKNOWN00',
      secretAccessKey: 'x'.repeat(40),
    });
    const err = await errorOf(client.send(new ListKeysCommand({})));
    expect(err.name).toBe('UnrecognizedClientException');
    expect(err.message).toBe('The security token included in the request is invalid.');
  });

  it('rejects a wrong secret with InvalidSignatureException', async () => {
    const client = h.client({ ...h.adminCredentials, secretAccessKey: 'y'.repeat(40) });
    const err = await errorOf(client.send(new ListKeysCommand({})));
    expect(err.name).toBe('InvalidSignatureException');
    expect(err.message).toMatch(/^The request signature we calculated does not match/);
  });

  it('rejects a request dated more than 5 minutes from the server clock as expired', async () => {
    const body = '{}';
    const headers = await signed(h.adminCredentials, body, {
      date: new Date(clock.now() - 6 * MINUTE),
    });
    const res = await rawRequest(h.url, 'TrentService.ListKeys', body, headers);
    expect(res.json.__type).toBe('InvalidSignatureException');
    expect(String(res.json.message)).toMatch(
      /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/,
    );
    const future = await signed(h.adminCredentials, body, {
      date: new Date(clock.now() + 6 * MINUTE),
    });
    const ahead = await rawRequest(h.url, 'TrentService.ListKeys', body, future);
    expect(String(ahead.json.message)).toMatch(/^Signature not yet current: /);
  });

  it('accepts a request dated within the 5-minute window', async () => {
    const body = '{}';
    const headers = await signed(h.adminCredentials, body, {
      date: new Date(clock.now() - 4 * MINUTE),
    });
    const res = await rawRequest(h.url, 'TrentService.ListKeys', body, headers);
    expect(res.status).toBe(200);
  });

  it('rejects a body changed after signing', async () => {
    const headers = await signed(h.adminCredentials, '{"Limit":10}');
    const res = await rawRequest(h.url, 'TrentService.ListKeys', '{"Limit":11}', headers);
    expect(res.json.__type).toBe('InvalidSignatureException');
  });

  it('rejects a signature scoped to another service or region', async () => {
    const wrongService = await signed(h.adminCredentials, '{}', { service: 'sts' });
    const a = await rawRequest(h.url, 'TrentService.ListKeys', '{}', wrongService);
    expect(a.json).toEqual({
      __type: 'InvalidSignatureException',
      message: "Credential should be scoped to correct service: 'kms'. ",
    });
    const wrongRegion = await signed(h.adminCredentials, '{}', { region: 'eu-west-1' });
    const b = await rawRequest(h.url, 'TrentService.ListKeys', '{}', wrongRegion);
    expect(b.json.__type).toBe('InvalidSignatureException');
  });

  it('stops accepting an access key once it is made inactive or revoked', async () => {
    const user = await h.trent.credentials.createPrincipal('111122223333', 'user', 'revokable');
    // Identity policies decide what it may do: this one allows kms:*.
    await h.trent.credentials.attachPolicy(user.arn, 'kms', ADMIN_POLICY);
    const key = await h.trent.credentials.createAccessKey(user.arn);
    const client = h.client(key);
    await client.send(new ListKeysCommand({}));
    await h.trent.credentials.setAccessKeyStatus(key.accessKeyId, 'Inactive');
    expect((await errorOf(client.send(new ListKeysCommand({})))).name).toBe(
      'UnrecognizedClientException',
    );
    await h.trent.credentials.setAccessKeyStatus(key.accessKeyId, 'Active');
    await client.send(new ListKeysCommand({}));
    await h.trent.credentials.revokeCredential(key.accessKeyId);
    expect((await errorOf(client.send(new ListKeysCommand({})))).name).toBe(
      'UnrecognizedClientException',
    );
  });
});

describe('session credentials', () => {
  it('authenticate a role session with its token and report the assumed-role ARN', async () => {
    const role = await h.trent.credentials.createPrincipal('111122223333', 'role', 'app');
    // Identity policies decide what it may do: this one allows kms:*.
    await h.trent.credentials.attachPolicy(role.arn, 'kms', ADMIN_POLICY);
    const session = await h.trent.credentials.createSession(role.arn, { sessionName: 'worker-1' });
    expect(session.accessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    await h.client(session).send(new ListKeysCommand({}));
    const who = await sts(session).send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe('arn:aws:sts::111122223333:assumed-role/app/worker-1');
    expect(who.UserId).toBe(`${role.principalId}:worker-1`);
    expect(who.Account).toBe('111122223333');
  });

  it('rejects session credentials without their token or with another token', async () => {
    const user = await h.trent.credentials.createPrincipal('111122223333', 'user', 'tokened');
    const session = await h.trent.credentials.createSession(user.arn);
    const { sessionToken, ...withoutToken } = session;
    expect((await errorOf(h.client(withoutToken).send(new ListKeysCommand({})))).name).toBe(
      'UnrecognizedClientException',
    );
    const otherToken = { ...session, sessionToken: sessionToken.slice(0, -4) + 'AAAA' };
    expect((await errorOf(h.client(otherToken).send(new ListKeysCommand({})))).name).toBe(
      'UnrecognizedClientException',
    );
  });

  it('rejects expired session credentials with ExpiredTokenException', async () => {
    const user = await h.trent.credentials.createPrincipal('111122223333', 'user', 'shortlived');
    const realNow = clock.now();
    clock.advance(-20 * MINUTE);
    const session = await h.trent.credentials.createSession(user.arn, { durationSeconds: 900 });
    clock.advance(20 * MINUTE);
    expect(clock.now()).toBe(realNow);
    const err = await errorOf(h.client(session).send(new ListKeysCommand({})));
    expect(err.name).toBe('ExpiredTokenException');
    expect(err.message).toBe('The security token included in the request is expired');
  });
});

describe('STS GetCallerIdentity', () => {
  it('answers with the account, ARN and user id of an IAM user', async () => {
    const who = await sts(h.adminCredentials).send(new GetCallerIdentityCommand({}));
    expect(who.Account).toBe('111122223333');
    expect(who.Arn).toBe('arn:aws:iam::111122223333:user/admin');
    expect(who.UserId).toMatch(/^AIDA[A-Z2-7]{17}$/);
  });

  it('answers the account root for a root access key', async () => {
    const key = await h.trent.credentials.createAccessKey('arn:aws:iam::111122223333:root');
    const who = await sts(key).send(new GetCallerIdentityCommand({}));
    expect(who).toMatchObject({
      Account: '111122223333',
      Arn: 'arn:aws:iam::111122223333:root',
      UserId: '111122223333',
    });
  });

  it('reports bad credentials in STS error form', async () => {
    const err = await errorOf(
      sts({ accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'z'.repeat(40) }).send(
        new GetCallerIdentityCommand({}),
      ),
    );
    expect(err.name).toBe('InvalidClientTokenId');
    expect(err.status).toBe(403);
    const bad = await errorOf(
      sts({ ...h.adminCredentials, secretAccessKey: 'z'.repeat(40) }).send(
        new GetCallerIdentityCommand({}),
      ),
    );
    expect(bad.name).toBe('SignatureDoesNotMatch');
  });
});

describe('accounts', () => {
  it("keep each account's keys out of another account's ListKeys", async () => {
    await h.trent.credentials.createAccount('444455556666');
    const other = await h.trent.credentials.createPrincipal('444455556666', 'user', 'bob');
    // Identity policies decide what it may do: this one allows kms:*.
    await h.trent.credentials.attachPolicy(other.arn, 'kms', ADMIN_POLICY);
    const bob = h.client(await h.trent.credentials.createAccessKey(other.arn));
    const theirs = (await bob.send(new CreateKeyCommand({}))).KeyMetadata!;
    expect(theirs.Arn).toBe(`arn:aws:kms:us-east-1:444455556666:key/${theirs.KeyId!}`);
    const mine = await h.kms.send(new ListKeysCommand({}));
    expect(mine.Keys!.map((k) => k.KeyId)).not.toContain(theirs.KeyId);
    const listed = await bob.send(new ListKeysCommand({}));
    expect(listed.Keys!.map((k) => k.KeyId)).toEqual([theirs.KeyId]);
  });
});

describe('dev mode', () => {
  it('accepts unsigned requests as the account root', async () => {
    const dev = await startHarness();
    try {
      const res = await rawRequest(dev.url, 'TrentService.ListKeys', '{}');
      expect(res.status).toBe(200);
      const who = await new STSClient({
        endpoint: dev.url,
        region: 'us-east-1',
        credentials: { accessKeyId: 'anything', secretAccessKey: 'anything' },
      }).send(new GetCallerIdentityCommand({}));
      expect(who.Arn).toBe('arn:aws:iam::111122223333:root');
    } finally {
      await dev.stop();
    }
  });
});
