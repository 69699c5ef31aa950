// No access-key secret or session token appears in the server's log output or in any response,
// for requests that succeed and for every kind that fails.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { ListKeysCommand } from '@aws-sdk/client-kms';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { startAuthHarness, type AuthHarness, type AwsCredentials } from './harness.js';
import { signedHeaders } from './signing.js';
import type { NewSession } from '../../src/authz/credentials/credential-admin.js';
import { ADMIN_POLICY } from '../../src/authz/credentials/bootstrap.js';

let logged = '';
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    logged += chunk.toString('utf8');
    done();
  },
});
let h: AuthHarness;
let session: NewSession;
const responses: string[] = [];

beforeAll(async () => {
  h = await startAuthHarness({ logLevel: 'trace' }, { logger: pino({ level: 'trace' }, sink) });
  const user = await h.trent.credentials.createPrincipal('111122223333', 'user', 'secretive');
  // Identity policies decide what it may do: this one allows kms:*.
  await h.trent.credentials.attachPolicy(user.arn, 'kms', ADMIN_POLICY);
  session = await h.trent.credentials.createSession(user.arn, { sessionName: 'hush' });
});
afterAll(async () => {
  await h.stop();
});

async function send(
  target: string | undefined,
  body: string,
  headers: Record<string, string>,
): Promise<number> {
  const res = await fetch(`${h.url}/`, {
    method: 'POST',
    headers: { ...(target === undefined ? {} : { 'x-amz-target': target }), ...headers },
    body,
  });
  responses.push(JSON.stringify([...res.headers.entries()]), await res.text());
  return res.status;
}

async function signed(
  credentials: AwsCredentials,
  body: string,
  service = 'kms',
): Promise<Record<string, string>> {
  return signedHeaders(
    h.url,
    credentials,
    body,
    service === 'kms'
      ? { target: 'TrentService.ListKeys' }
      : { service, contentType: 'application/x-www-form-urlencoded' },
  );
}

describe('secrets in logs and errors', () => {
  it('never show a secret access key or session token', async () => {
    const stsBody = 'Action=GetCallerIdentity&Version=2011-06-15';
    // Successes.
    expect(await send('TrentService.ListKeys', '{}', await signed(session, '{}'))).toBe(200);
    expect(await send(undefined, stsBody, await signed(session, stsBody, 'sts'))).toBe(200);
    await h.kms.send(new ListKeysCommand({}));
    // Failures: tampered body, tampered token, missing signature parts, wrong service, unknown action.
    expect(await send('TrentService.ListKeys', '{"Limit":1}', await signed(session, '{}'))).toBe(
      400,
    );
    const badToken = {
      ...(await signed(session, '{}')),
      'x-amz-security-token': `${session.sessionToken}x`,
    };
    expect(await send('TrentService.ListKeys', '{}', badToken)).toBe(400);
    const incomplete = await signed(session, '{}');
    incomplete.authorization = incomplete.authorization!.replace(/, Signature=.*/, '');
    expect(await send('TrentService.ListKeys', '{}', incomplete)).toBe(400);
    expect(await send('TrentService.ListKeys', '{}', await signed(session, '{}', 'sts'))).toBe(400);
    const otherAction = 'Action=AssumeRole&Version=2011-06-15';
    expect(await send(undefined, otherAction, await signed(session, otherAction, 'sts'))).toBe(400);
    expect(
      await send(
        undefined,
        stsBody,
        await signed({ ...session, secretAccessKey: 'q'.repeat(40) }, stsBody, 'sts'),
      ),
    ).toBe(403);
    const client = new STSClient({
      endpoint: h.url,
      region: 'us-east-1',
      credentials: h.adminCredentials,
      maxAttempts: 1,
    });
    await client.send(new GetCallerIdentityCommand({}));
    client.destroy();

    expect(responses.length).toBeGreaterThan(10);
    expect(logged).toContain('listening');
    const everything = `${logged}\n${responses.join('\n')}`;
    for (const secret of [
      session.secretAccessKey,
      session.sessionToken,
      h.adminCredentials.secretAccessKey,
    ]) {
      expect(everything.includes(secret)).toBe(false);
    }
    // The probe itself can fail: the request headers did carry the token.
    expect(JSON.stringify(badToken).includes(session.sessionToken)).toBe(true);
  });
});
