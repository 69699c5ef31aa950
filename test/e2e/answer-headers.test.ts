// The bytes of a successful answer on the wire: status line, header names, values and order, the body
// length, and keep-alive, for answers written straight to the response rather than through reply.send.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitAnswers, type RawAnswer } from '../support/raw-http.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
});

function request(target: string, body: string, extra = ''): string {
  const { host } = new URL(h.url);
  return (
    `POST / HTTP/1.1\r\nhost: ${host}\r\ncontent-type: application/x-amz-json-1.1\r\n` +
    `x-amz-target: TrentService.${target}\r\ncontent-length: ${String(Buffer.byteLength(body))}\r\n` +
    `${extra}\r\n${body}`
  );
}

/** Sends the requests on one connection and splits what comes back until the server closes it. */
async function exchange(requests: string): Promise<RawAnswer[]> {
  const { hostname, port } = new URL(h.url);
  const socket = connect(Number(port), hostname);
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.write(requests);
  await new Promise((resolve) => socket.on('close', resolve));
  return splitAnswers(Buffer.concat(chunks)).answers;
}

describe('a successful answer on the wire', () => {
  it('carries the JSON 1.1 content type, the request id and the byte length, and keeps the connection', async () => {
    const create = request('CreateKey', JSON.stringify({ Description: 'clé de test' }));
    const list = request('ListKeys', '{}', 'connection: close\r\n');
    const [created, listed] = await exchange(create + list);
    expect(created?.statusLine).toBe('HTTP/1.1 200 OK');
    expect(created?.headers.map(([name]) => name)).toEqual([
      'content-type',
      'x-amzn-requestid',
      'content-length',
      'Date',
      'Connection',
      'Keep-Alive',
    ]);
    const header = (answer: RawAnswer | undefined, name: string) =>
      answer?.headers.find(([n]) => n === name)?.[1];
    expect(header(created, 'content-type')).toBe('application/x-amz-json-1.1; charset=utf-8');
    expect(header(created, 'x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(header(created, 'Connection')).toBe('keep-alive');
    const body = JSON.parse(created?.body ?? '') as { KeyMetadata: { Description: string } };
    expect(body.KeyMetadata.Description).toBe('clé de test');
    expect(Number(header(created, 'content-length'))).toBe(
      Buffer.byteLength(created?.body ?? '', 'utf8'),
    );
    // The second request on the same connection asked to close it: answered, then closed.
    expect(listed?.statusLine).toBe('HTTP/1.1 200 OK');
    expect(header(listed, 'Connection')).toBe('close');
    expect(header(listed, 'x-amzn-requestid')).not.toBe(header(created, 'x-amzn-requestid'));
  });

  it('answers an error on the same connection with its error type', async () => {
    const [missing, listed] = await exchange(
      request('DescribeKey', JSON.stringify({ KeyId: 'alias/none' })) +
        request('ListKeys', '{}', 'connection: close\r\n'),
    );
    expect(missing?.statusLine).toBe('HTTP/1.1 400 Bad Request');
    expect(missing?.headers.find(([n]) => n === 'x-amzn-errortype')?.[1]).toBe(
      'NotFoundException:',
    );
    expect(listed?.statusLine).toBe('HTTP/1.1 200 OK');
  });

  it('answers alike whether the body comes with a Content-Length or in chunks', async () => {
    const { host } = new URL(h.url);
    const body = JSON.stringify({ KeyId: 'alias/none' });
    const chunked =
      `POST / HTTP/1.1\r\nhost: ${host}\r\ncontent-type: application/x-amz-json-1.1\r\n` +
      `x-amz-target: TrentService.DescribeKey\r\ntransfer-encoding: chunked\r\n\r\n` +
      `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
    const [plain, streamed, listed] = await exchange(
      request('DescribeKey', body) + chunked + request('ListKeys', '{}', 'connection: close\r\n'),
    );
    const names = (a: RawAnswer | undefined) => a?.headers.map(([name]) => name);
    expect(plain?.statusLine).toBe('HTTP/1.1 400 Bad Request');
    expect(streamed?.statusLine).toBe(plain?.statusLine);
    expect(names(streamed)).toEqual(names(plain));
    expect(streamed?.body).toBe(plain?.body);
    for (const name of ['content-type', 'x-amzn-errortype'])
      expect(streamed?.headers.find(([n]) => n === name)).toEqual(
        plain?.headers.find(([n]) => n === name),
      );
    expect(listed?.statusLine).toBe('HTTP/1.1 200 OK');
  });
});
