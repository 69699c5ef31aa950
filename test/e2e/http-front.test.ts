// The front (src/api/http-front.ts) on a real server: a plain KMS request is answered with the same
// bytes whichever path reads it, and every other request still gets fastify's answer (413, 431, 400,
// /healthz), on a fresh connection or one the front has read before.
import { connect, type Socket } from 'node:net';
import {
  CreateKeyCommand,
  DecryptCommand,
  EncryptCommand,
  ListKeysCommand,
} from '@aws-sdk/client-kms';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { HttpFront } from '../../src/api/http-front.js';
import type { AuditEvent } from '../../src/audit/audit-event.js';
import { startInProcess } from '../fakes/in-process-trent.js';
import { rawHeader as header, splitAnswers, type RawAnswer } from '../support/raw-http.js';
import { startHarness, type Harness } from './harness.js';

const BODY_LIMIT = 4096;
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ bodyLimitBytes: BODY_LIMIT });
});
afterAll(async () => {
  await h.stop();
});
afterEach(() => {
  vi.restoreAllMocks();
});

function json(answer: RawAnswer | undefined): Record<string, unknown> {
  return JSON.parse(answer?.body ?? '') as Record<string, unknown>;
}

/** A plain KMS request; `extra` header lines go after the usual ones. */
function kmsRequest(target: string, body: string, extra = ''): string {
  const { host } = new URL(h.url);
  return (
    `POST / HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/x-amz-json-1.1\r\n` +
    `X-Amz-Target: TrentService.${target}\r\nContent-Length: ${String(Buffer.byteLength(body))}\r\n` +
    `${extra}\r\n${body}`
  );
}

/**
 * Writes `requests` on one new connection and reads answers until `count` have arrived (then closes
 * it) or the server ends it. Bodies are read by their Content-Length.
 */
async function exchange(
  requests: string | Buffer,
  count = Number.POSITIVE_INFINITY,
  url = h.url,
): Promise<{ answers: RawAnswer[]; endedByServer: boolean }> {
  const { hostname, port } = new URL(url);
  const socket: Socket = connect(Number(port), hostname);
  let received = Buffer.alloc(0);
  const answers: RawAnswer[] = [];
  let endedByServer = false;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`${String(answers.length)} answers in time`));
    }, 5000);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const split = splitAnswers(received);
      answers.push(...split.answers);
      received = received.subarray(split.used);
      if (answers.length >= count) {
        socket.destroy();
        done();
      }
    });
    socket.on('end', () => {
      endedByServer = true;
    });
    socket.on('close', done);
    socket.on('error', () => undefined);
    socket.write(requests);
  });
  return { answers, endedByServer };
}

/** After every bad input the server still answers a good request. */
async function expectStillServing(): Promise<void> {
  const res = await h.kms.send(new ListKeysCommand({}));
  expect(res.Truncated).toBe(false);
}

async function auditRecordsOf(requestId: string | undefined): Promise<AuditEvent[]> {
  expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
  await h.trent.audit.flush();
  const rows = await h.trent.auditStore.query({});
  return rows
    .map((r) => JSON.parse(r.event) as AuditEvent)
    .filter((e) => e.requestID === requestId);
}

/** The header lines that differ from request to request, left out of comparisons. */
const PER_ANSWER = new Set(['x-amzn-requestid', 'date']);

function comparable(answer: RawAnswer | undefined) {
  return {
    statusLine: answer?.statusLine,
    names: answer?.headers.map(([name]) => name),
    values: answer?.headers.filter(([name]) => !PER_ANSWER.has(name.toLowerCase())),
  };
}

describe('the front and fastify answer alike', () => {
  it('answers an error with the same bytes whether the front or fastify reads the request', async () => {
    const answerHead = vi.spyOn(HttpFront.prototype, 'answerHead');
    const body = JSON.stringify({ KeyId: 'alias/none' });
    const plain = (await exchange(kmsRequest('DescribeKey', body), 1)).answers[0];
    expect(answerHead).toHaveBeenCalledTimes(1);
    // A repeated header is harmless to the request but makes the front hand it to fastify.
    const repeated = (
      await exchange(kmsRequest('DescribeKey', body, 'X-Trace: a\r\nX-Trace: b\r\n'), 1)
    ).answers[0];
    expect(answerHead).toHaveBeenCalledTimes(1);

    expect(plain?.statusLine).toBe('HTTP/1.1 400 Bad Request');
    expect(comparable(repeated)).toEqual(comparable(plain));
    expect(plain?.headers.map(([name]) => name)).toEqual([
      'content-type',
      'x-amzn-requestid',
      'x-amzn-errortype',
      'content-length',
      'Date',
      'Connection',
      'Keep-Alive',
    ]);
    expect(header(plain, 'x-amzn-errortype')).toBe('NotFoundException:');
    expect(header(plain, 'content-type')).toBe('application/x-amz-json-1.1; charset=utf-8');
    expect(repeated?.body).toBe(plain?.body);
    expect(json(plain)).toEqual({
      __type: 'NotFoundException',
      message: expect.any(String) as unknown,
    });
    expect(header(repeated, 'x-amzn-requestid')).not.toBe(header(plain, 'x-amzn-requestid'));
  });

  it('answers a success with the same head whether the front or fastify reads the request', async () => {
    const answerHead = vi.spyOn(HttpFront.prototype, 'answerHead');
    const body = JSON.stringify({ NumberOfBytes: 16 });
    const plain = (await exchange(kmsRequest('GenerateRandom', body), 1)).answers[0];
    const repeated = (
      await exchange(kmsRequest('GenerateRandom', body, 'X-Trace: a\r\nx-trace: b\r\n'), 1)
    ).answers[0];
    expect(answerHead).toHaveBeenCalledTimes(1);
    expect(plain?.statusLine).toBe('HTTP/1.1 200 OK');
    expect(comparable(repeated)).toEqual(comparable(plain));
    for (const answer of [plain, repeated]) {
      const random = json(answer) as { Plaintext: string };
      expect(Buffer.from(random.Plaintext, 'base64')).toHaveLength(16);
      expect(Object.keys(random)).toEqual(['Plaintext']);
    }
  });
});

describe('a worker of several', () => {
  it('names itself in x-trent-worker first on either path, as fastify does', async () => {
    const worker = await startInProcess([{ effect: 'Allow', principal: '*', action: 'kms:*' }], {
      workerId: 2,
    });
    try {
      const url = await worker.server.listen({ host: '127.0.0.1', port: 0 });
      const caller = 'X-Test-Caller: arn:aws:iam::111122223333:root\r\n';
      const body = JSON.stringify({ KeyId: 'alias/none' });
      const answerHead = vi.spyOn(HttpFront.prototype, 'answerHead');
      const plain = (await exchange(kmsRequest('DescribeKey', body, caller), 1, url)).answers[0];
      const repeated = (
        await exchange(
          kmsRequest('DescribeKey', body, `${caller}X-Trace: a\r\nX-Trace: b\r\n`),
          1,
          url,
        )
      ).answers[0];
      expect(answerHead).toHaveBeenCalledTimes(1);
      expect(plain?.headers[0]).toEqual(['x-trent-worker', '2']);
      expect(plain?.statusLine).toBe('HTTP/1.1 400 Bad Request');
      expect(comparable(repeated)).toEqual(comparable(plain));
      expect(repeated?.body).toBe(plain?.body);
      // A success is written by another path in fastify (straight to the response).
      const random = JSON.stringify({ NumberOfBytes: 16 });
      const ok = (await exchange(kmsRequest('GenerateRandom', random, caller), 1, url)).answers[0];
      const okRepeated = (
        await exchange(
          kmsRequest('GenerateRandom', random, `${caller}X-Trace: a\r\nX-Trace: b\r\n`),
          1,
          url,
        )
      ).answers[0];
      expect(answerHead).toHaveBeenCalledTimes(2);
      expect(ok?.statusLine).toBe('HTTP/1.1 200 OK');
      expect(ok?.headers[0]).toEqual(['x-trent-worker', '2']);
      expect(comparable(okRepeated)).toEqual(comparable(ok));
    } finally {
      await worker.close();
    }
  });
});

describe('requests the front does not read still get fastify answers', () => {
  it('answers a body over the limit with 413 RequestEntityTooLargeException, after a request the front read', async () => {
    const keysBefore = (await h.kms.send(new ListKeysCommand({}))).Keys?.length;
    const big = JSON.stringify({ Description: 'x'.repeat(BODY_LIMIT) });
    const { answers } = await exchange(
      kmsRequest('ListKeys', '{}') + kmsRequest('CreateKey', big),
      2,
    );
    expect(answers[0]?.statusLine).toBe('HTTP/1.1 200 OK');
    const [, tooLarge] = answers;
    expect(tooLarge?.statusLine).toBe('HTTP/1.1 413 Payload Too Large');
    expect(header(tooLarge, 'x-amzn-errortype')).toBe('RequestEntityTooLargeException:');
    expect(json(tooLarge)).toEqual({
      __type: 'RequestEntityTooLargeException',
      message: `Request body exceeds ${String(BODY_LIMIT)} bytes`,
    });
    // The key was not made, and the server goes on serving.
    expect((await h.kms.send(new ListKeysCommand({}))).Keys?.length).toBe(keysBefore);
  });

  it('answers a 20 KiB header with 431 and a SerializationException body, then closes', async () => {
    const { answers, endedByServer } = await exchange(
      kmsRequest('ListKeys', '{}', `X-Big: ${'b'.repeat(20 * 1024)}\r\n`),
    );
    expect(answers).toHaveLength(1);
    expect(answers[0]?.statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(header(answers[0], 'content-type')).toBe('application/x-amz-json-1.1');
    expect(json(answers[0])).toEqual({
      __type: 'SerializationException',
      message: 'The request headers are too large.',
    });
    expect(endedByServer).toBe(true);
    await expectStillServing();
  });

  it('answers garbage with 400 and a SerializationException body, also after a request the front read', async () => {
    for (const before of ['', kmsRequest('ListKeys', '{}')]) {
      const { answers, endedByServer } = await exchange(
        Buffer.concat([
          Buffer.from(before),
          Buffer.from('\u0000\u0001GARBAGE \xff\r\n\r\n', 'latin1'),
        ]),
      );
      const last = answers[answers.length - 1];
      expect(answers).toHaveLength(before === '' ? 1 : 2);
      expect(last?.statusLine).toBe('HTTP/1.1 400 Bad Request');
      expect(json(last)).toEqual({
        __type: 'SerializationException',
        message: 'The request is not valid HTTP.',
      });
      expect(endedByServer).toBe(true);
      await expectStillServing();
    }
  });

  it('answers GET /healthz on a connection that first made KMS calls', async () => {
    const { host } = new URL(h.url);
    const { answers } = await exchange(
      kmsRequest('ListKeys', '{}') +
        kmsRequest('GenerateRandom', '{"NumberOfBytes":8}') +
        `GET /healthz HTTP/1.1\r\nHost: ${host}\r\n\r\n` +
        kmsRequest('ListKeys', '{}'),
      4,
    );
    expect(answers.map((a) => a.statusLine)).toEqual([
      'HTTP/1.1 200 OK',
      'HTTP/1.1 200 OK',
      'HTTP/1.1 200 OK',
      'HTTP/1.1 200 OK',
    ]);
    expect(json(answers[2])).toEqual({ status: 'ok' });
    expect(Object.keys(json(answers[3]))).toContain('Keys');
  });

  it('serves a chunked request that follows requests the front read on the same connection', async () => {
    const { host } = new URL(h.url);
    const body = '{"NumberOfBytes":12}';
    const { answers } = await exchange(
      kmsRequest('ListKeys', '{}') +
        `POST / HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/x-amz-json-1.1\r\n` +
        `X-Amz-Target: TrentService.GenerateRandom\r\nTransfer-Encoding: chunked\r\n\r\n` +
        `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`,
      2,
    );
    expect(answers[1]?.statusLine).toBe('HTTP/1.1 200 OK');
    const random = json(answers[1]) as { Plaintext: string };
    expect(Buffer.from(random.Plaintext, 'base64')).toHaveLength(12);
  });
});

describe('an SDK client through the front', () => {
  it('creates a key, encrypts and decrypts', async () => {
    const answerHead = vi.spyOn(HttpFront.prototype, 'answerHead');
    const key = await h.kms.send(new CreateKeyCommand({ Description: 'front' }));
    const keyId = key.KeyMetadata?.KeyId;
    expect(keyId).toBeDefined();
    const plaintext = Buffer.from('secret through the front, ünïcödé');
    const encrypted = await h.kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext }));
    const decrypted = await h.kms.send(
      new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob }),
    );
    expect(Buffer.from(decrypted.Plaintext ?? new Uint8Array())).toEqual(plaintext);
    expect(decrypted.KeyId).toBe(key.KeyMetadata?.Arn);
    // Each call was read and answered by the front.
    expect(answerHead).toHaveBeenCalledTimes(3);
  });
});

describe('closing the server', () => {
  it('ends a keep-alive connection the front read at once, so stopping does not wait for it', async () => {
    const other = await startHarness();
    const { hostname, port } = new URL(other.url);
    const socket = connect(Number(port), hostname);
    socket.on('error', () => undefined);
    const closed = new Promise<void>((resolve) =>
      socket.on('close', () => {
        resolve();
      }),
    );
    const answered = new Promise<string>((resolve) => {
      socket.once('data', (chunk: Buffer) => {
        resolve(chunk.toString('latin1'));
      });
    });
    const { host } = new URL(other.url);
    socket.write(
      `POST / HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/x-amz-json-1.1\r\n` +
        `X-Amz-Target: TrentService.ListKeys\r\nContent-Length: 2\r\n\r\n{}`,
    );
    expect(await answered).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*Connection: keep-alive\r\n/);
    const started = Date.now();
    await other.stop();
    await closed;
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe('audit', () => {
  it('leaves one record per request, read by the front or by fastify', async () => {
    const body = JSON.stringify({ KeyId: 'alias/audited' });
    const plain = (await exchange(kmsRequest('DescribeKey', body), 1)).answers[0];
    const repeated = (
      await exchange(kmsRequest('DescribeKey', body, 'X-Trace: a\r\nX-Trace: b\r\n'), 1)
    ).answers[0];
    const tooLarge = (
      await exchange(
        kmsRequest('CreateKey', JSON.stringify({ Description: 'x'.repeat(BODY_LIMIT) })),
      )
    ).answers[0];
    expect(tooLarge?.statusLine).toMatch(/^HTTP\/1\.1 413 /);
    for (const [answer, errorCode, eventName] of [
      [plain, 'NotFoundException', 'DescribeKey'],
      [repeated, 'NotFoundException', 'DescribeKey'],
      [tooLarge, 'RequestEntityTooLargeException', 'CreateKey'],
    ] as const) {
      const records = await auditRecordsOf(header(answer, 'x-amzn-requestid'));
      expect(records).toHaveLength(1);
      expect(records[0]?.eventName).toBe(eventName);
      expect(records[0]?.errorCode).toBe(errorCode);
    }
  });
});
