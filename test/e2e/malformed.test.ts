import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateKeyCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import { startHarness, type Harness } from './harness.js';

const BODY_LIMIT = 4096;
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ bodyLimitBytes: BODY_LIMIT });
});
afterAll(async () => {
  await h.stop();
});

interface Answer {
  status: number;
  type: string | undefined;
  message: string | undefined;
  requestId: string | null;
  contentType: string | null;
}

async function send(init: RequestInit & { path?: string }): Promise<Answer> {
  const res = await fetch(`${h.url}${init.path ?? '/'}`, init);
  const text = await res.text();
  const json = JSON.parse(text) as { __type?: string; message?: string };
  return {
    status: res.status,
    type: json.__type,
    message: json.message,
    requestId: res.headers.get('x-amzn-requestid'),
    contentType: res.headers.get('content-type'),
  };
}

function post(target: string | undefined, body: string, extra: Record<string, string> = {}) {
  const headers: Record<string, string> = {
    'content-type': 'application/x-amz-json-1.1',
    ...extra,
  };
  if (target !== undefined) headers['x-amz-target'] = target;
  return send({ method: 'POST', headers, body });
}

/** After every bad request the server still answers a good one. */
async function expectStillServing(): Promise<void> {
  const res = await h.kms.send(new ListKeysCommand({}));
  expect(res.Truncated).toBe(false);
}

describe('malformed requests get clean AWS-style errors and the server keeps serving', () => {
  it('answers bad JSON with SerializationException', async () => {
    for (const body of ['{bad', '{"KeyId":', '\u0000', '[[[[[[[[[[' + ']'.repeat(3)]) {
      const a = await post('TrentService.ListKeys', body);
      expect(a).toMatchObject({ status: 400, type: 'SerializationException' });
      expect(a.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(a.contentType).toMatch(/^application\/x-amz-json-1\.1/);
    }
    await expectStillServing();
  });

  it('answers a body that is not a JSON object with SerializationException', async () => {
    for (const body of ['null', '[]', '"text"', '42', 'true']) {
      expect(await post('TrentService.ListKeys', body)).toMatchObject({
        status: 400,
        type: 'SerializationException',
      });
    }
    await expectStillServing();
  });

  it('answers wrong member types with SerializationException', async () => {
    expect(await post('TrentService.ListKeys', '{"Limit":"10"}')).toMatchObject({
      status: 400,
      type: 'SerializationException',
    });
    expect(await post('TrentService.DescribeKey', '{"KeyId":{"a":1}}')).toMatchObject({
      status: 400,
      type: 'SerializationException',
    });
    expect(await post('TrentService.Encrypt', '{"KeyId":"k","Plaintext":"%%%"}')).toMatchObject({
      status: 400,
      type: 'SerializationException',
    });
    await expectStillServing();
  });

  it('treats null members as absent and ignores unknown members', async () => {
    const list = await fetch(`${h.url}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'TrentService.ListKeys',
      },
      body: '{"Limit":null,"Marker":null,"NotAMember":{"deep":[1,2,3]}}',
    });
    expect(list.status).toBe(200);
    expect(await post('TrentService.DescribeKey', '{"KeyId":null}')).toMatchObject({
      status: 400,
      type: 'ValidationException',
      message:
        "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null",
    });
  });

  it('treats an empty body as an empty request', async () => {
    expect(
      (
        await fetch(`${h.url}/`, {
          method: 'POST',
          headers: { 'x-amz-target': 'TrentService.ListKeys' },
        })
      ).status,
    ).toBe(200);
    expect(await post('TrentService.DescribeKey', '')).toMatchObject({
      status: 400,
      type: 'ValidationException',
    });
  });

  it('counts several validation errors in AWS wording', async () => {
    const a = await post('TrentService.Encrypt', '{"KeyId":"","Plaintext":""}');
    expect(a).toMatchObject({ status: 400, type: 'ValidationException' });
    expect(a.message).toBe(
      "2 validation errors detected: Value '' at 'keyId' failed to satisfy constraint: Member must have length greater than or equal to 1; Value at 'plaintext' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });

  it('refuses an oversized body with 413, with or without a Content-Length', async () => {
    const big = JSON.stringify({ Description: 'x'.repeat(BODY_LIMIT * 2) });
    expect(await post('TrentService.CreateKey', big)).toMatchObject({
      status: 413,
      type: 'RequestEntityTooLargeException',
    });
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 4; i++)
          controller.enqueue(new TextEncoder().encode(big.slice(0, 4096)));
        controller.close();
      },
    });
    const streamed = await fetch(`${h.url}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'TrentService.CreateKey',
      },
      body: chunks,
      duplex: 'half',
    });
    expect(streamed.status).toBe(413);
    expect(((await streamed.json()) as { __type: string }).__type).toBe(
      'RequestEntityTooLargeException',
    );
    await expectStillServing();
    const keys = await h.kms.send(new ListKeysCommand({}));
    expect(keys.Keys).toEqual([]);
  });

  it('answers an unknown, foreign or missing X-Amz-Target with UnknownOperationException', async () => {
    for (const target of ['TrentService.NoSuchOperation', 'DynamoDB_20120810.ListTables', '']) {
      expect(await post(target, '{}')).toMatchObject({
        status: 400,
        type: 'UnknownOperationException',
      });
    }
    expect(await post(undefined, '{}')).toMatchObject({
      status: 400,
      type: 'UnknownOperationException',
      message: 'Missing X-Amz-Target header',
    });
    await expectStillServing();
  });

  it('answers a wrong path or method with a JSON error', async () => {
    const headers = { 'x-amz-target': 'TrentService.ListKeys' };
    for (const init of [
      { method: 'GET', headers },
      { method: 'PUT', headers, body: '{}' },
      { method: 'DELETE', headers },
      { method: 'POST', headers, body: '{}', path: '/keys' },
    ]) {
      const a = await send(init);
      expect(a.status).toBe(400);
      expect(a.type).toBe('UnknownOperationException');
    }
    await expectStillServing();
  });

  it('accepts application/json as well as application/x-amz-json-1.1', async () => {
    const res = await fetch(`${h.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-amz-target': 'TrentService.CreateKey' },
      body: '{}',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/x-amz-json-1\.1/);
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    await h.kms.send(new CreateKeyCommand({}));
  });

  it('answers bytes that are not HTTP with a JSON error and closes only that connection', async () => {
    const { hostname, port } = new URL(h.url);
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(Number(port), hostname);
      let text = '';
      socket.setEncoding('utf8').on('data', (d: string) => (text += d));
      socket.on('close', () => {
        resolve(text);
      });
      socket.on('connect', () => socket.write('NOT HTTP AT ALL\u0000\r\n\r\n'));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('{"__type":"SerializationException"');
    await expectStillServing();
  });

  it('answers GET /healthz while the store is open', async () => {
    const res = await fetch(`${h.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });
});
