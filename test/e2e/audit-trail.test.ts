import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateKeyCommand, EncryptCommand } from '@aws-sdk/client-kms';
import { operations } from '../../src/api/operations/index.js';
import type { AuditEvent } from '../../src/audit/audit-event.js';
import { startHarness, type Harness } from './harness.js';
import { sampleInput } from './sample-inputs.js';

let h: Harness;
let keyId: string;
let keyArn: string;
/** A key the every-operation loop may disable or schedule for deletion. */
let sampleKeyId: string;

beforeAll(async () => {
  h = await startHarness();
  const created = await h.kms.send(new CreateKeyCommand({ Description: 'audit' }));
  keyId = created.KeyMetadata!.KeyId!;
  keyArn = created.KeyMetadata!.Arn!;
  sampleKeyId = (await h.kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
});
afterAll(async () => {
  await h.stop();
});

async function send(
  target: string | undefined,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; requestId: string; json: Record<string, unknown> }> {
  const res = await fetch(`${h.url}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      ...(target === undefined ? {} : { 'x-amz-target': target }),
      ...headers,
    },
    body,
  });
  const text = await res.text();
  return {
    status: res.status,
    requestId: res.headers.get('x-amzn-requestid') ?? '',
    json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
  };
}

async function recordsOf(requestId: string): Promise<AuditEvent[]> {
  await h.trent.audit.flush();
  const rows = await h.trent.auditStore.query({});
  return rows
    .map((r) => JSON.parse(r.event) as AuditEvent)
    .filter((e) => e.requestID === requestId);
}

async function onlyRecordOf(requestId: string): Promise<AuditEvent> {
  const records = await recordsOf(requestId);
  expect(records).toHaveLength(1);
  return records[0]!;
}

describe('audit trail: one record per request', () => {
  const secret = Buffer.from('audit-every-operation-secret-bytes');
  for (const name of operations.keys()) {
    it(`records ${name} exactly once, with an empty body and with a full one`, async () => {
      for (const body of [{}, sampleInput(name, { keyId: sampleKeyId, secret })]) {
        const res = await send(`TrentService.${name}`, JSON.stringify(body));
        const event = await onlyRecordOf(res.requestId);
        expect(event.eventName).toBe(name);
        expect(event.eventSource).toBe('kms.amazonaws.com');
        expect(event.errorCode).toBe(res.status === 200 ? null : res.json.__type);
      }
    });
  }
});

describe('audit trail: what a record says', () => {
  it('records a success with the caller, the key and the allow-listed parameters', async () => {
    const out = await h.kms.send(
      new EncryptCommand({
        KeyId: keyId,
        Plaintext: Buffer.from('top secret'),
        EncryptionContext: { tenant: 'acme' },
      }),
    );
    const e = await onlyRecordOf(out.$metadata.requestId!);
    expect(e).toMatchObject({
      eventName: 'Encrypt',
      awsRegion: 'us-east-1',
      sourceIPAddress: '127.0.0.1',
      errorCode: null,
      readOnly: true,
      managementEvent: true,
      eventCategory: 'Management',
      recipientAccountId: '111122223333',
      userIdentity: {
        type: 'Root',
        arn: 'arn:aws:iam::111122223333:root',
        accountId: '111122223333',
      },
      requestParameters: {
        keyId,
        encryptionContext: { tenant: 'acme' },
      },
      responseElements: null,
      resources: [{ ARN: keyArn, type: 'AWS::KMS::Key', accountId: '111122223333' }],
    });
    expect(e.userAgent).toMatch(/aws-sdk/);
    expect(JSON.stringify(e)).not.toContain(Buffer.from('top secret').toString('base64'));
  });

  it('names the new key of CreateKey and keeps its metadata as response elements', async () => {
    const out = await h.kms.send(
      new CreateKeyCommand({ Description: 'second', Tags: [{ TagKey: 't', TagValue: 'v' }] }),
    );
    const e = await onlyRecordOf(out.$metadata.requestId!);
    expect(e.readOnly).toBe(false);
    expect(e.resources.map((r) => r.ARN)).toEqual([out.KeyMetadata!.Arn]);
    expect(e.requestParameters).toMatchObject({
      description: 'second',
      tags: [{ tagKey: 't', tagValue: 'v' }],
    });
    expect(e.responseElements).toMatchObject({ keyMetadata: { keyId: out.KeyMetadata!.KeyId } });
  });

  it('records a failure after key resolution with its error code and the key', async () => {
    const res = await send(
      'TrentService.Encrypt',
      JSON.stringify({ KeyId: keyId, Plaintext: 'eA==', DryRun: true }),
    );
    const e = await onlyRecordOf(res.requestId);
    expect(e.errorCode).toBe('DryRunOperationException');
    expect(e.errorMessage).toBe(res.json.message);
    expect(e.resources.map((r) => r.ARN)).toEqual([keyArn]);
  });

  it('records the allow-listed parameters of a request that failed validation, cut to size', async () => {
    const res = await send(
      'TrentService.GenerateDataKey',
      JSON.stringify({ KeyId: 'k'.repeat(3000), NumberOfBytes: 5000, Plaintext: 'c2VjcmV0' }),
    );
    const e = await onlyRecordOf(res.requestId);
    expect(e.errorCode).toBe('ValidationException');
    expect(e.requestParameters).toEqual({ keyId: `${'k'.repeat(512)}…`, numberOfBytes: 5000 });
  });

  it('records an unknown key id as NotFoundException', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    const res = await send('TrentService.DescribeKey', JSON.stringify({ KeyId: missing }));
    const e = await onlyRecordOf(res.requestId);
    expect(e.errorCode).toBe('NotFoundException');
    expect(e.requestParameters).toEqual({ keyId: missing });
    expect(e.resources).toEqual([]);
  });

  it('records an unknown operation, bad JSON, a type error and an oversized body', async () => {
    const cases = [
      await send('TrentService.NoSuchThing', '{}'),
      await send(undefined, '{}'),
      await send('TrentService.ListKeys', '{not json'),
      await send('TrentService.Encrypt', JSON.stringify({ KeyId: 5 })),
      await send('TrentService.Encrypt', 'x'.repeat(2 * 1024 * 1024)),
    ];
    const codes = [];
    for (const res of cases) {
      const e = await onlyRecordOf(res.requestId);
      expect(e.errorCode).toBe(res.json.__type);
      codes.push(e.errorCode);
    }
    expect(codes).toEqual([
      'UnknownOperationException',
      'UnknownOperationException',
      'SerializationException',
      'SerializationException',
      'RequestEntityTooLargeException',
    ]);
  });

  it('records the access key id a request claimed when it was not authenticated', async () => {
    const res = await send('TrentService.NoSuchThing', '{}', {
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIDCLAIMEDCLAIMED00/20260101/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=00',
    });
    const e = await onlyRecordOf(res.requestId);
    expect(e.userIdentity).toMatchObject({
      type: 'Unknown',
      accessKeyId: 'AKIDCLAIMEDCLAIMED00',
      arn: null,
    });
  });

  it('keeps the chain intact across all of these requests', async () => {
    await h.trent.audit.flush();
    const { verifyAuditChain } = await import('../../src/audit/verify-chain.js');
    const report = await verifyAuditChain(h.trent.auditStore);
    expect(report.broken).toBeUndefined();
    expect(report.records).toBeGreaterThan(10);
  });
});
