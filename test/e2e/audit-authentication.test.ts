import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { buildServer, type AuditRecorder } from '../../src/api/server.js';
import type { AuditEvent } from '../../src/audit/audit-event.js';
import { KmsError } from '../../src/errors.js';
import { ListKeysCommand, type KMSServiceException } from '@aws-sdk/client-kms';
import { startAuthHarness, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
});

/** A recorder that keeps events in memory, as the pipeline hands them over. */
function memoryRecorder(): AuditRecorder & { events: AuditEvent[] } {
  const events: AuditEvent[] = [];
  return {
    events,
    isAvailable: true,
    recordEntry(entry) {
      events.push(JSON.parse(entry.event) as AuditEvent);
      return Promise.resolve();
    },
  };
}

describe('audit of authentication', () => {
  it('records a request whose signature is rejected, with the access key id it claimed', async () => {
    const recorder = memoryRecorder();
    const app = buildServer({
      services: h.trent.services,
      logger: pino({ level: 'silent' }),
      bodyLimitBytes: 1024 * 1024,
      dev: true,
      audit: recorder,
      authenticator: {
        authenticate() {
          throw new KmsError(
            'InvalidSignatureException',
            'The request signature we calculated does not match the signature you provided.',
          );
        },
      },
    });
    const res = await app.inject({
      method: 'POST',
      url: '/',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'TrentService.Encrypt',
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/kms/aws4_request, SignedHeaders=host;x-amz-date, Signature=abcd',
      },
      payload: JSON.stringify({ KeyId: 'alias/x', Plaintext: 'c2VjcmV0' }),
    });
    await app.close();
    expect(res.statusCode).toBe(400);
    expect(recorder.events).toHaveLength(1);
    expect(recorder.events[0]).toMatchObject({
      eventName: 'Encrypt',
      errorCode: 'InvalidSignatureException',
      userIdentity: { type: 'Unknown', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', arn: null },
      requestParameters: null,
      resources: [],
    });
  });

  it('records the authenticated caller of a user principal', async () => {
    const recorder = memoryRecorder();
    const app = buildServer({
      services: h.trent.services,
      logger: pino({ level: 'silent' }),
      bodyLimitBytes: 1024 * 1024,
      dev: true,
      audit: recorder,
      authenticator: {
        authenticate: () => ({
          accountId: '111122223333',
          arn: 'arn:aws:iam::111122223333:user/alice',
          accessKeyId: 'AKIAALICEALICEALICE0',
          userId: 'AIDAALICE',
        }),
      },
    });
    await app.inject({
      method: 'POST',
      url: '/',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'TrentService.ListKeys',
      },
      payload: '{}',
    });
    await app.close();
    expect(recorder.events[0]?.userIdentity).toEqual({
      type: 'IAMUser',
      principalId: 'AIDAALICE',
      arn: 'arn:aws:iam::111122223333:user/alice',
      accountId: '111122223333',
      accessKeyId: 'AKIAALICEALICEALICE0',
    });
  });
});

describe('audit of SigV4 authentication', () => {
  it('records a bad signature with the claimed key and a good one with the signer', async () => {
    const a = await startAuthHarness();
    try {
      const good = await a.client(a.adminCredentials).send(new ListKeysCommand({}));
      const forged = a.client({
        ...a.adminCredentials,
        secretAccessKey: 'not-the-secret-at-all-000000000000000',
      });
      const refused = await forged
        .send(new ListKeysCommand({}))
        .catch((err: unknown) => err as KMSServiceException);
      await a.trent.audit.flush();
      const events = (await a.trent.auditStore.query({})).map(
        (r) => JSON.parse(r.event) as AuditEvent,
      );
      const ok = events.find((e) => e.requestID === good.$metadata.requestId)!;
      expect(ok.userIdentity).toMatchObject({
        type: 'IAMUser',
        accessKeyId: a.adminCredentials.accessKeyId,
      });
      const bad = events.find((e) => e.requestID === refused.$metadata.requestId)!;
      expect(bad.errorCode).toBe('InvalidSignatureException');
      expect(bad.userIdentity).toMatchObject({
        type: 'Unknown',
        arn: null,
        accessKeyId: a.adminCredentials.accessKeyId,
      });
    } finally {
      await a.stop();
    }
  });
});
