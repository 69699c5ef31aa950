// The front reads only the plain form of a KMS request and hands everything else to Node's HTTP server:
// parseFrontHead decides which is which, and HttpFront serves, orders and hands over connections.
import {
  createServer,
  STATUS_CODES,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { rawHeader as header, splitAnswers, type RawAnswer } from '../../test/support/raw-http.js';
import {
  HttpFront,
  parseFrontHead,
  type FrontAnswer,
  type FrontOptions,
  type FrontRequest,
} from './http-front.js';

const CONTENT_TYPE = 'application/x-amz-json-1.1';
const LIMITS = { bodyLimitBytes: 1024, contentType: CONTENT_TYPE };

/** A plain head: the request line, then the header lines given (or the usual ones). */
function head(
  lines: readonly string[] = [
    'Host: kms.local',
    `Content-Type: ${CONTENT_TYPE}`,
    'X-Amz-Target: TrentService.ListKeys',
    'Content-Length: 2',
  ],
  requestLine = 'POST / HTTP/1.1',
): string {
  return [requestLine, ...lines].join('\r\n');
}

/** The usual head without the line named `name`, plus `line` if given (`name` 'x' removes nothing). */
function headWith(name: string, line: string | undefined): string {
  const usual = [
    'Host: kms.local',
    `Content-Type: ${CONTENT_TYPE}`,
    'X-Amz-Target: TrentService.ListKeys',
    'Content-Length: 2',
  ];
  const kept = usual.filter((l) => !l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return head(line === undefined ? kept : [...kept, line]);
}

describe('parseFrontHead', () => {
  it('reads the plain form: headers by lower-case name, raw names as sent, the body length', () => {
    const parsed = parseFrontHead(
      head([
        'host: kms.local',
        `CONTENT-TYPE: ${CONTENT_TYPE}`,
        'x-AMZ-target: TrentService.Encrypt',
        'Content-Length: 17',
        'Connection: keep-alive',
        'X-Amz-Date: 20260101T000000Z',
      ]),
      LIMITS,
    );
    expect(parsed).toBeDefined();
    expect(parsed?.contentLength).toBe(17);
    expect({ ...parsed?.headers }).toEqual({
      host: 'kms.local',
      'content-type': CONTENT_TYPE,
      'x-amz-target': 'TrentService.Encrypt',
      'content-length': '17',
      connection: 'keep-alive',
      'x-amz-date': '20260101T000000Z',
    });
    expect(parsed?.rawHeaders).toEqual([
      'host',
      'kms.local',
      'CONTENT-TYPE',
      CONTENT_TYPE,
      'x-AMZ-target',
      'TrentService.Encrypt',
      'Content-Length',
      '17',
      'Connection',
      'keep-alive',
      'X-Amz-Date',
      '20260101T000000Z',
    ]);
  });

  it('accepts Connection: keep-alive in any case, a body up to the limit, and an empty value', () => {
    expect(parseFrontHead(headWith('x', 'Connection: Keep-Alive'), LIMITS)).toBeDefined();
    expect(
      parseFrontHead(headWith('content-length', 'Content-Length: 1024'), LIMITS),
    ).toMatchObject({ contentLength: 1024 });
    expect(parseFrontHead(headWith('content-length', 'Content-Length: 0'), LIMITS)).toMatchObject({
      contentLength: 0,
    });
    expect(parseFrontHead(headWith('x', 'X-Empty:'), LIMITS)?.headers['x-empty']).toBe('');
  });

  it('trims spaces and tabs around a value, but not a latin1 no-break space', () => {
    const parsed = parseFrontHead(
      headWith('x-amz-target', 'X-Amz-Target: \t TrentService.ListKeys \t '),
      LIMITS,
    );
    expect(parsed?.headers['x-amz-target']).toBe('TrentService.ListKeys');
    // The head is read as latin1, so 0xA0 arrives as U+00A0: a byte of the value, as Node keeps it.
    const nbsp = parseFrontHead(headWith('x', 'X-Note: \u00a0note\u00a0'), LIMITS);
    expect(nbsp?.headers['x-note']).toBe('\u00a0note\u00a0');
  });

  it.each([
    ['another method', head(undefined, 'GET / HTTP/1.1')],
    ['a lower-case method', head(undefined, 'post / HTTP/1.1')],
    ['another path', head(undefined, 'POST /x HTTP/1.1')],
    ['a query string', head(undefined, 'POST /?Action=GetCallerIdentity HTTP/1.1')],
    ['HTTP/1.0', head(undefined, 'POST / HTTP/1.0')],
    ['HTTP/2.0', head(undefined, 'POST / HTTP/2.0')],
    ['extra space in the request line', head(undefined, 'POST  / HTTP/1.1')],
    ['a repeated header', headWith('x', 'Host: kms.local')],
    ['a repeated header in another case', headWith('x', 'HOST: other.local')],
    ['a repeated Content-Length', headWith('x', 'content-length: 2')],
    ['no Host', headWith('host', undefined)],
    ['no Content-Length', headWith('content-length', undefined)],
    ['no X-Amz-Target', headWith('x-amz-target', undefined)],
    ['no Content-Type', headWith('content-type', undefined)],
    ['a Content-Length that is not digits', headWith('content-length', 'Content-Length: 2a')],
    ['a hex Content-Length', headWith('content-length', 'Content-Length: 0x2')],
    ['a signed Content-Length', headWith('content-length', 'Content-Length: +2')],
    ['a negative Content-Length', headWith('content-length', 'Content-Length: -2')],
    ['an empty Content-Length', headWith('content-length', 'Content-Length:')],
    ['a list as Content-Length', headWith('content-length', 'Content-Length: 2, 2')],
    ['a Content-Length over the limit', headWith('content-length', 'Content-Length: 1025')],
    [
      'a Content-Length of eleven digits',
      headWith('content-length', 'Content-Length: 00000000002'),
    ],
    ['another Content-Type', headWith('content-type', 'Content-Type: application/json')],
    [
      'the KMS Content-Type with a charset',
      headWith('content-type', `Content-Type: ${CONTENT_TYPE}; charset=utf-8`),
    ],
    [
      'the KMS Content-Type in upper case',
      headWith('content-type', `Content-Type: ${CONTENT_TYPE.toUpperCase()}`),
    ],
    ['Transfer-Encoding', headWith('x', 'Transfer-Encoding: chunked')],
    ['Transfer-Encoding: identity', headWith('x', 'Transfer-Encoding: identity')],
    ['Expect', headWith('x', 'Expect: 100-continue')],
    ['Upgrade', headWith('x', 'Upgrade: websocket')],
    ['Connection: close', headWith('x', 'Connection: close')],
    ['Connection: Upgrade', headWith('x', 'Connection: Upgrade')],
    ['Connection: keep-alive, Upgrade', headWith('x', 'Connection: keep-alive, Upgrade')],
    ['an obs-fold continuation line', headWith('x', 'X-Note: a\r\n  folded')],
    ['a line starting with a tab', headWith('x', 'X-Note: a\r\n\tfolded')],
    ['a space before the colon', headWith('x', 'X-Note : a')],
    ['a name with a space inside', headWith('x', 'X Note: a')],
    ['an empty name', headWith('x', ': a')],
    ['a line without a colon', headWith('x', 'X-Note')],
    ['a name with a non-token byte', headWith('x', 'X-N\u00e9te: a')],
    ['a control byte in a value', headWith('x', 'X-Note: a\u0001b')],
    ['a NUL in a value', headWith('x', 'X-Note: a\u0000b')],
    ['DEL in a value', headWith('x', 'X-Note: a\u007fb')],
    ['a bare CR in a value', headWith('x', 'X-Note: a\rb')],
    ['a bare LF in a value', headWith('x', 'X-Note: a\nb')],
    ['a bare LF ending a line', headWith('x', 'X-Note: a\nX-Other: b')],
    [
      'a bare LF after the request line',
      'POST / HTTP/1.1\n' + head().split('\r\n').slice(1).join('\r\n'),
    ],
    ['an empty line inside the head', headWith('x', '\r\nX-Note: a')],
    // Names an object already has: read as present, so such a request goes to Node.
    ['a header named constructor', headWith('x', 'Constructor: a')],
    ['a header named __proto__', headWith('x', '__proto__: a')],
  ])('leaves %s to Node', (_what, text) => {
    expect(parseFrontHead(text, LIMITS)).toBeUndefined();
  });

  it('accepts a tab inside a value, which Node accepts too', () => {
    expect(parseFrontHead(headWith('x', 'X-Note: a\tb'), LIMITS)?.headers['x-note']).toBe('a\tb');
  });
});

// ---------------------------------------------------------------------------------------------------
// HttpFront over a plain node:http server, driven by raw sockets.

/** A client on one raw connection: what it receives, split into answers as they complete. */
class RawClient {
  readonly socket: Socket;
  readonly closed: Promise<void>;
  #received = Buffer.alloc(0);
  #parsed = 0;
  readonly #answers: RawAnswer[] = [];
  #wake: (() => void) | undefined;
  ended = false;

  constructor(port: number) {
    this.socket = connect(port, '127.0.0.1');
    this.socket.setNoDelay(true);
    this.socket.on('data', (chunk: Buffer) => {
      this.#received = Buffer.concat([this.#received, chunk]);
      this.#split();
      this.#wake?.();
    });
    this.socket.on('end', () => {
      this.ended = true;
      this.#wake?.();
    });
    this.closed = new Promise((resolve) =>
      this.socket.on('close', () => {
        resolve();
      }),
    );
    this.socket.on('error', () => undefined);
  }

  /** Everything received, as latin1 text. */
  get text(): string {
    return this.#received.toString('latin1');
  }

  get answers(): readonly RawAnswer[] {
    return this.#answers;
  }

  write(text: string | Buffer): void {
    this.socket.write(text);
  }

  /** Resolves once `count` answers (1xx included) have arrived in full; fails if the server ends first. */
  async waitFor(count: number, timeoutMs = 3000): Promise<RawAnswer[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.#answers.length < count) {
      if (this.ended)
        throw new Error(
          `the server ended the connection after ${String(this.#answers.length)} answers`,
        );
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`only ${String(this.#answers.length)} answers in time`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
    }
    return this.#answers.slice(0, count);
  }

  #split(): void {
    const { answers, used } = splitAnswers(this.#received.subarray(this.#parsed));
    this.#answers.push(...answers);
    this.#parsed += used;
  }
}

/** A plain request as every KMS client sends it. */
function kmsRequest(body: string, extra = ''): string {
  return (
    `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${CONTENT_TYPE}\r\n` +
    `X-Amz-Target: TrentService.ListKeys\r\nContent-Length: ${String(Buffer.byteLength(body))}\r\n${extra}\r\n${body}`
  );
}

interface NodeSeen {
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

interface Rig {
  readonly server: Server;
  /** The server side of each open connection. */
  readonly sockets: ReadonlySet<Socket>;
  readonly front: HttpFront;
  readonly port: number;
  /** Requests the front served, in the order it called `serve`. */
  readonly served: FrontRequest[];
  /** Requests node:http's handler saw. */
  readonly nodeSeen: NodeSeen[];
  client(): RawClient;
}

const rigs: { server: Server; front: HttpFront; sockets: Set<Socket>; clients: RawClient[] }[] = [];

afterEach(async () => {
  vi.restoreAllMocks();
  for (const rig of rigs.splice(0)) {
    for (const client of rig.clients) client.socket.destroy();
    // Server-side ends too, for connections a test left waiting on an answer.
    for (const socket of rig.sockets) socket.destroy();
    rig.front.close();
    await new Promise((resolve) => rig.server.close(resolve));
  }
});

type Serve = (request: FrontRequest, answer: FrontAnswer) => void;

/** Echoes the body back at once, as JSON. */
const echo: Serve = (request, answer) => {
  answer.ok(request.id, JSON.stringify({ echo: request.body }));
};

/** A node:http server on 127.0.0.1 with a front whose `serve` is given; node:http echoes what it saw. */
async function startRig(
  serve: Serve = echo,
  options: Partial<FrontOptions> & { keepAliveTimeoutMs?: number } = {},
): Promise<Rig> {
  const served: FrontRequest[] = [];
  const nodeSeen: NodeSeen[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seen = {
        method: req.method,
        url: req.url,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      nodeSeen.push(seen);
      const text = JSON.stringify({
        node: `${seen.method ?? ''} ${seen.url ?? ''}`,
        body: seen.body,
      });
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
      });
      res.end(text);
    });
  });
  if (options.keepAliveTimeoutMs !== undefined)
    server.keepAliveTimeout = options.keepAliveTimeoutMs;
  let next = 0;
  const front = new HttpFront({
    bodyLimitBytes: 1024,
    contentType: CONTENT_TYPE,
    answerContentType: `${CONTENT_TYPE}; charset=utf-8`,
    newRequestId: () => `req-${String(++next)}`,
    ...options,
    serve: (request, answer) => {
      served.push(request);
      (options.serve ?? serve)(request, answer);
    },
  });
  front.attach(server);
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const clients: RawClient[] = [];
  rigs.push({ server, front, sockets, clients });
  return {
    server,
    sockets,
    front,
    port,
    served,
    nodeSeen,
    client() {
      const c = new RawClient(port);
      clients.push(c);
      return c;
    },
  };
}

/** Resolves when `check` holds, polling; fails after a while. */
async function until(check: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

describe('HttpFront', () => {
  it('answers pipelined requests in request order when they finish in reverse', async () => {
    const finished: number[] = [];
    const rig = await startRig((request, answer) => {
      const n = (JSON.parse(request.body) as { n: number }).n;
      setTimeout(
        () => {
          finished.push(n);
          answer.ok(request.id, JSON.stringify({ n }));
        },
        (5 - n) * 25,
      );
    });
    const client = rig.client();
    client.write([1, 2, 3, 4, 5].map((n) => kmsRequest(JSON.stringify({ n }))).join(''));
    const answers = await client.waitFor(5);
    expect(finished).toEqual([5, 4, 3, 2, 1]);
    expect(answers.map((a) => JSON.parse(a.body) as unknown)).toEqual([
      { n: 1 },
      { n: 2 },
      { n: 3 },
      { n: 4 },
      { n: 5 },
    ]);
    expect(answers.map((a) => header(a, 'x-amzn-requestid'))).toEqual(rig.served.map((r) => r.id));
    expect(rig.nodeSeen).toEqual([]);
  });

  it('reads a request that arrives one byte at a time', async () => {
    const rig = await startRig();
    const client = rig.client();
    const bytes = Buffer.from(kmsRequest('{"Note":"clé"}', 'X-Extra: 1\r\n'));
    for (const byte of bytes) {
      client.write(Buffer.from([byte]));
      await sleep(1);
    }
    const [answer] = await client.waitFor(1);
    expect(answer?.statusLine).toBe('HTTP/1.1 200 OK');
    expect(JSON.parse(answer?.body ?? '')).toEqual({ echo: '{"Note":"clé"}' });
    expect(rig.served).toHaveLength(1);
    expect(rig.served[0]?.headers['x-extra']).toBe('1');
    expect(rig.served[0]?.headers['x-amz-target']).toBe('TrentService.ListKeys');
    expect(rig.nodeSeen).toEqual([]);
  });

  it('reads a body split across writes, with a multi-byte character cut in two', async () => {
    const rig = await startRig();
    const client = rig.client();
    const bytes = Buffer.from(kmsRequest('{"k":"鍵"}'));
    const cut = bytes.indexOf(Buffer.from('鍵')) + 1;
    client.write(bytes.subarray(0, cut));
    await sleep(20);
    client.write(bytes.subarray(cut));
    const [answer] = await client.waitFor(1);
    expect(JSON.parse(answer?.body ?? '')).toEqual({ echo: '{"k":"鍵"}' });
  });

  it('joins a large body once, not again with every piece that arrives', async () => {
    const rig = await startRig(
      (request, answer) => {
        answer.ok(request.id, JSON.stringify({ length: request.body.length }));
      },
      { bodyLimitBytes: 16 * 1024 * 1024 },
    );
    const body = 'x'.repeat(8 * 1024 * 1024);
    let joined = 0;
    const concat = Buffer.concat.bind(Buffer);
    vi.spyOn(Buffer, 'concat').mockImplementation((list, length) => {
      const result = concat(list, length);
      if (result.length > 1024 * 1024) joined += result.length;
      return result;
    });
    const client = rig.client();
    client.write(kmsRequest(body));
    const [answer] = await client.waitFor(1, 10_000);
    vi.restoreAllMocks();
    expect(JSON.parse(answer?.body ?? '')).toEqual({ length: body.length });
    // The body arrives in many reads; joined piece by piece, it would be copied over and over.
    expect(joined).toBeLessThan(2 * body.length);
  });

  it('hands a connection to node:http at the first request it does not read, after the answers owed', async () => {
    const rig = await startRig((request, answer) => {
      // Slow answers: the hand-over must wait for them.
      setTimeout(() => {
        answer.ok(request.id, JSON.stringify({ front: request.body }));
      }, 30);
    });
    const client = rig.client();
    client.write(
      kmsRequest('{"a":1}') +
        kmsRequest('{"a":2}') +
        'GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\nhello' +
        kmsRequest('{"a":3}'),
    );
    const answers = await client.waitFor(4);
    expect(answers.map((a) => JSON.parse(a.body) as unknown)).toEqual([
      { front: '{"a":1}' },
      { front: '{"a":2}' },
      { node: 'GET /x', body: 'hello' },
      { node: 'POST /', body: '{"a":3}' },
    ]);
    expect(rig.served.map((r) => r.body)).toEqual(['{"a":1}', '{"a":2}']);
    expect(rig.nodeSeen.map((s) => s.headers['x-amz-target'])).toEqual([
      undefined,
      'TrentService.ListKeys',
    ]);
    // From then on node:http owns the connection: a later plain request goes there too.
    client.write(kmsRequest('{"a":4}'));
    const [, , , , later] = await client.waitFor(5);
    expect(JSON.parse(later?.body ?? '')).toEqual({ node: 'POST /', body: '{"a":4}' });
    expect(rig.served).toHaveLength(2);
    expect(rig.front.connections).toBe(0);
  });

  it('hands over a chunked request with its body intact', async () => {
    const rig = await startRig();
    const client = rig.client();
    const body = '{"KeyId":"alias/chunked"}';
    client.write(
      `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${CONTENT_TYPE}\r\n` +
        `X-Amz-Target: TrentService.DescribeKey\r\nTransfer-Encoding: chunked\r\n\r\n` +
        `5\r\n${body.slice(0, 5)}\r\n${(body.length - 5).toString(16)}\r\n${body.slice(5)}\r\n0\r\n\r\n`,
    );
    const [answer] = await client.waitFor(1);
    expect(JSON.parse(answer?.body ?? '')).toEqual({ node: 'POST /', body });
    expect(rig.served).toEqual([]);
  });

  it('hands over a request with Expect: 100-continue, which node:http answers with 100 first', async () => {
    const rig = await startRig();
    const client = rig.client();
    const body = '{"x":"continued"}';
    client.write(
      `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${CONTENT_TYPE}\r\n` +
        `X-Amz-Target: TrentService.ListKeys\r\nContent-Length: ${String(body.length)}\r\n` +
        `Expect: 100-continue\r\n\r\n`,
    );
    const [interim] = await client.waitFor(1);
    expect(interim?.statusLine).toBe('HTTP/1.1 100 Continue');
    client.write(body);
    const [, answer] = await client.waitFor(2);
    expect(JSON.parse(answer?.body ?? '')).toEqual({ node: 'POST /', body });
    expect(rig.served).toEqual([]);
  });

  it('hands over a head longer than 16 KiB, and node:http refuses it with 431', async () => {
    const rig = await startRig();
    const client = rig.client();
    client.write(kmsRequest('{}', `X-Big: ${'b'.repeat(20 * 1024)}\r\n`));
    await client.closed;
    expect(client.text).toMatch(/^HTTP\/1\.1 431 /);
    expect(rig.served).toEqual([]);
  });

  it('ends an idle connection at once on close()', async () => {
    const rig = await startRig();
    const client = rig.client();
    client.write(kmsRequest('{}'));
    await client.waitFor(1);
    const started = Date.now();
    rig.front.close();
    await client.closed;
    expect(client.ended).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
    await until(() => rig.front.connections === 0, 'the front to forget the connection');
  });

  it('lets a busy connection receive its answer, marked Connection: close, then ends it', async () => {
    let finish: (() => void) | undefined;
    const rig = await startRig((request, answer) => {
      finish = () => {
        answer.ok(request.id, '{"late":true}');
      };
    });
    const client = rig.client();
    client.write(kmsRequest('{}'));
    await until(() => finish !== undefined, 'the request to be served');
    rig.front.close();
    await sleep(50);
    expect(client.ended).toBe(false);
    expect(client.answers).toEqual([]);
    finish?.();
    const [answer] = await client.waitFor(1);
    expect(answer?.body).toBe('{"late":true}');
    expect(header(answer, 'Connection')).toBe('close');
    expect(header(answer, 'Keep-Alive')).toBeUndefined();
    await client.closed;
    expect(client.ended).toBe(true);
    expect(client.answers).toHaveLength(1);
  });

  it('after close(), says Connection: close only on the last answer, the one the connection ends after', async () => {
    const pending: (() => void)[] = [];
    const rig = await startRig((request, answer) => {
      pending.push(() => {
        answer.ok(request.id, request.body);
      });
    });
    const client = rig.client();
    client.write(kmsRequest('{"n":1}') + kmsRequest('{"n":2}'));
    await until(() => pending.length === 2, 'both requests to be read');
    rig.front.close();
    // The second finishes first: its answer is the last either way.
    pending[1]?.();
    pending[0]?.();
    const answers = await client.waitFor(2);
    expect(answers.map((a) => a.body)).toEqual(['{"n":1}', '{"n":2}']);
    expect(answers.map((a) => header(a, 'Connection'))).toEqual(['keep-alive', 'close']);
    await client.closed;
    expect(client.ended).toBe(true);
  });

  it('after close(), hands a request that arrives on a busy connection to Node once the answer owed is written', async () => {
    let finish: (() => void) | undefined;
    const rig = await startRig((request, answer) => {
      finish = () => {
        answer.ok(request.id, '{"late":true}');
      };
    });
    const client = rig.client();
    client.write(kmsRequest('{}'));
    await until(() => finish !== undefined, 'the request to be served');
    rig.front.close();
    client.write(kmsRequest('{"after":"close"}'));
    await sleep(20);
    finish?.();
    const [first, second] = await client.waitFor(2);
    // The connection goes on after the first answer, so it must not say it closes.
    expect(header(first, 'Connection')).toBe('keep-alive');
    expect(first?.body).toBe('{"late":true}');
    expect(JSON.parse(second?.body ?? '')).toEqual({ node: 'POST /', body: '{"after":"close"}' });
    expect(rig.served).toHaveLength(1);
  });

  it('gives connections opened after close() to node:http', async () => {
    const rig = await startRig();
    rig.front.close();
    const client = rig.client();
    client.write(kmsRequest('{"after":"close"}'));
    const [answer] = await client.waitFor(1);
    expect(JSON.parse(answer?.body ?? '')).toEqual({ node: 'POST /', body: '{"after":"close"}' });
    expect(rig.served).toEqual([]);
  });

  it('answers a client that half-closes right after its request, then ends the connection', async () => {
    const rig = await startRig((request, answer) => {
      setTimeout(() => {
        answer.ok(request.id, '{"half":"closed"}');
      }, 20);
    });
    const client = rig.client();
    client.write(kmsRequest('{}') + kmsRequest('{}'));
    client.socket.end();
    await client.closed;
    expect(client.answers.map((a) => a.body)).toEqual(['{"half":"closed"}', '{"half":"closed"}']);
  });

  it('writes a large answer in full to a client that half-closes while a hand-over waits', async () => {
    // Node's server ends a half-closed connection without answering, so nothing is handed over: the
    // connection ends once the answers owed are written, all of them.
    const big = JSON.stringify({ big: 'x'.repeat(8 * 1024 * 1024) });
    const rig = await startRig((request, answer) => {
      setTimeout(() => {
        answer.ok(request.id, big);
      }, 30);
    });
    const errors: string[] = [];
    rig.server.on('connection', (socket: Socket) => {
      socket.on('error', (err: Error & { code?: string }) => errors.push(err.code ?? err.message));
    });
    const client = rig.client();
    client.write(kmsRequest('{}') + 'GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    client.socket.end();
    await client.closed;
    expect(client.answers).toHaveLength(1);
    expect(client.answers[0]?.body.length).toBe(big.length);
    expect(client.ended).toBe(true);
    expect(errors).toEqual([]);
  });

  it('answers 408 and ends the connection when a head is still incomplete after 60 s, not a body', async () => {
    // Only Date is faked: the front measures the wait with Date.now, the sockets keep real timers.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const rig = await startRig();
      const slowHead = rig.client();
      slowHead.write('POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      await sleep(20);
      vi.setSystemTime(Date.now() + 61_000);
      slowHead.write(`Content-Type: ${CONTENT_TYPE}\r\n`);
      await slowHead.closed;
      expect(slowHead.text).toBe('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n');
      expect(rig.served).toEqual([]);
      // A body has no time limit (as on Node's side): a piece after 60 s, then the rest, is served.
      const slowBody = rig.client();
      const request = kmsRequest('{"slow":"body"}');
      slowBody.write(request.slice(0, -6));
      await sleep(20);
      vi.setSystemTime(Date.now() + 61_000);
      slowBody.write(request.slice(-6, -2));
      await sleep(20);
      expect(slowBody.text).toBe('');
      slowBody.write(request.slice(-2));
      const [late] = await slowBody.waitFor(1);
      expect(JSON.parse(late?.body ?? '')).toEqual({ echo: '{"slow":"body"}' });
      // Within the time, a head in pieces is served.
      const client = rig.client();
      const inTime = kmsRequest('{"in":"time"}');
      client.write(inTime.slice(0, 20));
      await sleep(20);
      vi.setSystemTime(Date.now() + 59_000);
      client.write(inTime.slice(20));
      const [answer] = await client.waitFor(1);
      expect(JSON.parse(answer?.body ?? '')).toEqual({ echo: '{"in":"time"}' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('answers 400 to a request cut short by the end of input, as Node does', async () => {
    const rig = await startRig();
    const client = rig.client();
    const request = kmsRequest('{"cut":"short"}');
    client.write(request.slice(0, -3));
    await sleep(20);
    client.socket.end();
    await client.closed;
    expect(client.text).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(JSON.parse(client.text.slice(client.text.indexOf('\r\n\r\n') + 4))).toEqual({
      __type: 'SerializationException',
      message: 'The request is not valid HTTP.',
    });
    expect(rig.served).toEqual([]);
  });

  it('forgets a connection whose client went away before its answers', async () => {
    const pending: (() => void)[] = [];
    const rig = await startRig((request, answer) => {
      pending.push(() => {
        answer.ok(request.id, '{}');
      });
    });
    const client = rig.client();
    client.write(kmsRequest('{}') + kmsRequest('{}'));
    await until(() => pending.length === 2, 'both requests to be read');
    client.socket.destroy();
    await sleep(20);
    for (const release of pending) release();
    await until(() => rig.front.connections === 0, 'the front to forget the connection');
    expect(rig.sockets.size).toBe(0);
  });

  it('destroys a connection idle past the server keep-alive timeout', async () => {
    const rig = await startRig(echo, { keepAliveTimeoutMs: 200 });
    const client = rig.client();
    client.write(kmsRequest('{}'));
    await client.waitFor(1);
    const answered = Date.now();
    await client.closed;
    expect(Date.now() - answered).toBeGreaterThanOrEqual(150);
    expect(Date.now() - answered).toBeLessThan(2000);
    await until(() => rig.front.connections === 0, 'the front to forget the connection');
  });

  it('pauses a client that pipelines past the answers it has not read, then serves it all', async () => {
    const pending: (() => void)[] = [];
    const rig = await startRig((request, answer) => {
      pending.push(() => {
        answer.ok(request.id, request.body);
      });
    });
    const client = rig.client();
    // Sent in pieces, so that some requests arrive only after the front pauses the connection.
    for (let i = 0; i < 40; i++) {
      client.write(kmsRequest(JSON.stringify({ i })));
      await sleep(1);
    }
    await until(() => pending.length >= 32, '32 requests to be read');
    await sleep(30);
    expect(pending.length).toBeLessThan(40);
    while (rig.served.length < 40 || pending.length > 0) {
      for (const release of pending.splice(0)) release();
      await sleep(5);
    }
    const answers = await client.waitFor(40);
    expect(answers.map((a) => (JSON.parse(a.body) as { i: number }).i)).toEqual(
      Array.from({ length: 40 }, (_, i) => i),
    );
  });

  describe('the answer head', () => {
    const headerNames = [
      'x-trent-worker',
      'content-type',
      'x-amzn-requestid',
      'content-length',
      'Date',
      'Connection',
      'Keep-Alive',
    ];

    it('writes a success with the status line, headers in order and the byte length of a UTF-8 body', async () => {
      const body = JSON.stringify({ text: 'clé 鍵 🔑 ü' });
      const rig = await startRig(
        (request, answer) => {
          answer.ok(request.id, body);
        },
        {
          extraHeaderLines: 'x-trent-worker: 3\r\n',
        },
      );
      const client = rig.client();
      client.write(kmsRequest('{}'));
      const [answer] = await client.waitFor(1);
      expect(answer?.statusLine).toBe('HTTP/1.1 200 OK');
      expect(answer?.headers.map(([n]) => n)).toEqual(headerNames);
      expect(answer?.headers).toEqual([
        ['x-trent-worker', '3'],
        ['content-type', `${CONTENT_TYPE}; charset=utf-8`],
        ['x-amzn-requestid', 'req-1'],
        ['content-length', String(Buffer.byteLength(body))],
        [
          'Date',
          expect.stringMatching(/^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT$/),
        ],
        ['Connection', 'keep-alive'],
        ['Keep-Alive', 'timeout=5'],
      ]);
      expect(Buffer.byteLength(body)).toBeGreaterThan(body.length);
      expect(answer?.body).toBe(body);
      expect(Math.abs(Date.parse(header(answer, 'Date') ?? '') - Date.now())).toBeLessThan(5000);
    });

    it.each([400, 413, 500, 503])(
      'writes a %i error with its reason phrase and x-amzn-errortype',
      async (status) => {
        const body = JSON.stringify({ __type: 'SomeException', message: 'naïve' });
        const rig = await startRig((request, answer) => {
          answer.fail(request.id, status, 'SomeException', body);
        });
        const client = rig.client();
        client.write(kmsRequest('{}'));
        const [answer] = await client.waitFor(1);
        expect(answer?.statusLine).toBe(`HTTP/1.1 ${String(status)} ${STATUS_CODES[status] ?? ''}`);
        expect(answer?.headers.map(([n]) => n)).toEqual([
          'content-type',
          'x-amzn-requestid',
          'x-amzn-errortype',
          'content-length',
          'Date',
          'Connection',
          'Keep-Alive',
        ]);
        expect(header(answer, 'x-amzn-errortype')).toBe('SomeException:');
        expect(Number(header(answer, 'content-length'))).toBe(Buffer.byteLength(body));
        expect(answer?.body).toBe(body);
      },
    );

    it('answers only once when serve answers twice', async () => {
      const rig = await startRig((request, answer) => {
        answer.ok(request.id, '{"first":1}');
        answer.fail(request.id, 500, 'Late', '{}');
      });
      const client = rig.client();
      client.write(kmsRequest('{}') + kmsRequest('{}'));
      const answers = await client.waitFor(2);
      await sleep(30);
      expect(answers.map((a) => a.body)).toEqual(['{"first":1}', '{"first":1}']);
      expect(client.answers).toHaveLength(2);
    });
  });
});
