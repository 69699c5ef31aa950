// The front of the HTTP server: reads the requests every KMS client sends, in their plain form, straight
// off the connection, and gives every other connection to Node's HTTP server (and fastify) unchanged.
//
// Why: Node's HTTP layer builds a request and a response stream per request (IncomingMessage,
// ServerResponse, their listeners and buffers), which on the hot path cost more CPU than Trent's own
// work on an Encrypt. The requests an AWS SDK or the CLI sends are simple: `POST / HTTP/1.1`, a few
// headers, a Content-Length and a JSON body. Those are read here; anything else — another method or
// path, chunked bodies, `Expect`, `Connection: close`, a repeated header, a header block or body past
// the limits, a byte Node's parser would refuse — is handed over, with every byte not yet consumed, to
// Node's own connection handling, which then owns the connection for good. So every request this front
// does not read is read, limited and answered exactly as before (including 413, 431, 400 and 503).
//
// Answers go out in request order on each connection, with the other answers finished in the same
// turn of the event loop (./answer-batch.ts).
import { STATUS_CODES, type IncomingHttpHeaders, type Server as HttpServer } from 'node:http';
import type { Socket } from 'node:net';
import { AnswerBatch, type AnswerSink } from './answer-batch.js';

/** A request read by the front: always `POST /` with a Content-Length body. */
export interface FrontRequest {
  readonly id: string;
  readonly method: 'POST';
  readonly url: '/';
  /** Lower-case names; every name appears once (a repeated header goes to Node's parser). */
  readonly headers: IncomingHttpHeaders;
  /** Names as sent, then values: Node's rawHeaders layout. */
  readonly raw: { readonly rawHeaders: readonly string[] };
  readonly ip: string;
  /** The body as UTF-8 text. */
  readonly body: string;
}

/** How a request read by the front is answered (once). */
export interface FrontAnswer {
  /** A 200 with a JSON body. */
  ok(requestId: string, body: string): void;
  /** An error with its status, its `x-amzn-errortype` and a JSON body. */
  fail(requestId: string, status: number, errorType: string, body: string): void;
}

export interface FrontOptions {
  /** Largest body read here; a larger Content-Length goes to Node (and fastify answers 413). */
  readonly bodyLimitBytes: number;
  /** The only Content-Type read here (every KMS client sends it). */
  readonly contentType: string;
  /** The Content-Type of every answer. */
  readonly answerContentType: string;
  /** Extra header lines (`name: value\r\n`) on every answer, e.g. the worker's id. */
  readonly extraHeaderLines?: string;
  readonly newRequestId: () => string;
  readonly serve: (request: FrontRequest, answer: FrontAnswer) => void;
}

/** Node's defaults, as the handed-over connections keep them. */
const MAX_HEADER_BYTES = 16 * 1024;
const HEADERS_TIMEOUT_MS = 60_000;
/** Answers not yet written after which a connection's reading pauses (pipelining clients). */
const MAX_UNWRITTEN = 32;

const HEAD_END = Buffer.from('\r\n\r\n', 'latin1');
const REQUEST_LINE = 'POST / HTTP/1.1\r\n';
/** RFC 9110 token: a header name. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** A character Node's parser refuses in a head: a control character other than tab, CR and LF. */
const NOT_HEADER_TEXT = /[^\t\r\n\x20-\x7e\x80-\xff]/;
/** A CR not followed by LF, or an LF not after a CR: line ends are CRLF only. */
const LONE_CR_OR_LF = /\r(?!\n)|(?<!\r)\n/;
const DIGITS = /^[0-9]{1,10}$/;

/** Header names as sent → lower case, for the names seen (a client sends the same few every time). */
const lowerNames = new Map<string, string>();
const MAX_REMEMBERED_NAMES = 256;

/** The lower-case form of a header name, or undefined when it is not a token. */
function lowerNameOf(name: string): string | undefined {
  const known = lowerNames.get(name);
  if (known !== undefined) return known;
  if (!TOKEN.test(name)) return undefined;
  const lower = name.toLowerCase();
  if (lowerNames.size < MAX_REMEMBERED_NAMES) lowerNames.set(name, lower);
  return lower;
}

function isSpaceOrTab(code: number): boolean {
  return code === 32 || code === 9;
}

/**
 * The answer to bytes that are not a readable HTTP request (or a head over the size limit), before the
 * connection closes: still an AWS-style JSON error.
 */
export function unreadableRequestAnswer(tooLarge: boolean): string {
  const body = JSON.stringify({
    __type: 'SerializationException',
    message: tooLarge ? 'The request headers are too large.' : 'The request is not valid HTTP.',
  });
  return (
    `HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\n` +
    `Content-Type: application/x-amz-json-1.1\r\nContent-Length: ${String(Buffer.byteLength(body))}\r\n` +
    `Connection: close\r\n\r\n${body}`
  );
}

let dateSecond = -1;
let dateText = '';
/** The Date header's value, made once a second (as Node does). */
function httpDate(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(now).toUTCString();
  }
  return dateText;
}

interface ParsedHead {
  readonly headers: Readonly<Record<string, string>>;
  readonly rawHeaders: string[];
  readonly contentLength: number;
}

/**
 * The head (request line and header lines, without the blank line) as this front reads it, or
 * undefined when Node must read the request instead.
 */
export function parseFrontHead(
  head: string,
  options: Pick<FrontOptions, 'bodyLimitBytes' | 'contentType'>,
): ParsedHead | undefined {
  if (!head.startsWith(REQUEST_LINE) || NOT_HEADER_TEXT.test(head) || LONE_CR_OR_LF.test(head))
    return undefined;
  // A plain object: a name Object.prototype already has (`constructor`, `__proto__`) reads as
  // present, so such a request goes to Node, which is all it needs.
  const headers: Record<string, string> = {};
  const rawHeaders: string[] = [];
  const length = head.length;
  let at = REQUEST_LINE.length;
  while (at < length) {
    let end = head.indexOf('\r\n', at);
    if (end < 0) end = length;
    const colon = head.indexOf(':', at);
    if (colon <= at || colon > end) return undefined;
    const name = head.slice(at, colon);
    const lower = lowerNameOf(name);
    if (lower === undefined) return undefined;
    // Optional whitespace around the value is spaces and tabs, nothing else.
    let start = colon + 1;
    while (start < end && isSpaceOrTab(head.charCodeAt(start))) start++;
    let stop = end;
    while (stop > start && isSpaceOrTab(head.charCodeAt(stop - 1))) stop--;
    if (headers[lower] !== undefined) return undefined;
    const value = head.slice(start, stop);
    headers[lower] = value;
    rawHeaders.push(name, value);
    at = end + 2;
  }
  const contentLengthText = headers['content-length'];
  if (
    contentLengthText === undefined ||
    !DIGITS.test(contentLengthText) ||
    headers['content-type'] !== options.contentType ||
    headers.host === undefined ||
    headers['x-amz-target'] === undefined ||
    headers['transfer-encoding'] !== undefined ||
    headers.expect !== undefined ||
    headers.upgrade !== undefined ||
    (headers.connection !== undefined && headers.connection.toLowerCase() !== 'keep-alive')
  )
    return undefined;
  const contentLength = Number(contentLengthText);
  if (contentLength > options.bodyLimitBytes) return undefined;
  return { headers, rawHeaders, contentLength };
}

/** One connection while the front reads it. */
class FrontConnection implements AnswerSink {
  readonly #front: HttpFront;
  readonly #socket: Socket;
  readonly #ip: string;
  #buffer: Buffer | null = null;
  /** The head of the request whose body is still arriving, and where that body starts. */
  #head: ParsedHead | undefined;
  #bodyStart = 0;
  /** Pieces of that body received after #buffer, joined to it once the body is complete. */
  #pieces: Buffer[] = [];
  #pieceBytes = 0;
  /** When the unfinished request in the buffer began (0: none). */
  #partialSince = 0;
  /** Requests read, answers written; answers finished out of order wait in #held. */
  #read = 0;
  #written = 0;
  #queued = 0;
  readonly #held = new Map<number, string>();
  #handOffWaiting = false;
  #peerEnded = false;
  #closing = false;
  /** An answer saying `Connection: close` is made: the connection ends after it, reading nothing more. */
  #ending = false;
  #paused = false;
  #gone = false;

  constructor(front: HttpFront, socket: Socket) {
    this.#front = front;
    this.#socket = socket;
    this.#ip = socket.remoteAddress ?? '';
    socket.on('data', this.#onData);
    socket.on('end', this.#onEnd);
    socket.on('error', this.#onError);
    socket.on('close', this.#onClose);
    socket.on('timeout', this.#onTimeout);
    socket.setTimeout(front.keepAliveTimeoutMs);
    socket.setNoDelay(true);
  }

  get #unwritten(): number {
    return this.#read - this.#written;
  }

  /** The server is closing: idle connections end now, busy ones after their last answer. */
  close(): void {
    this.#closing = true;
    if (this.#unwritten === 0 && this.#buffer === null) this.#socket.end();
  }

  readonly #onData = (chunk: Buffer): void => {
    // After an answer that says the connection closes, no further request may be served (RFC 9112 9.6).
    if (this.#ending) return;
    const head = this.#head;
    if (head !== undefined && this.#buffer !== null) {
      // A body still arriving is joined once, when complete: joining each piece as it came would copy
      // the body received so far again for every piece, quadratic in its size (seconds for 32 MiB).
      this.#pieces.push(chunk);
      this.#pieceBytes += chunk.length;
      if (this.#buffer.length + this.#pieceBytes < this.#bodyStart + head.contentLength) {
        this.#waitForRest();
        return;
      }
      this.#pieces.unshift(this.#buffer);
      this.#buffer = Buffer.concat(this.#pieces);
      this.#pieces = [];
      this.#pieceBytes = 0;
    } else {
      this.#buffer = this.#buffer === null ? chunk : Buffer.concat([this.#buffer, chunk]);
    }
    this.#readRequests();
  };

  readonly #onEnd = (): void => {
    this.#peerEnded = true;
    // With answers owed, end() ends the connection after the last of them.
    if (this.#unwritten === 0 && !this.#handOffWaiting) this.#endAtEndOfInput();
  };

  /**
   * The peer has sent all it will. A request it cut short is answered as Node answers one (400, the
   * same JSON as server.ts's client error handler); a whole request left for Node is not answered, as
   * Node's server does not answer on a half-closed connection either.
   */
  #endAtEndOfInput(): void {
    if (this.#buffer !== null && !this.#ending && !this.#handOffWaiting)
      this.#socket.end(unreadableRequestAnswer(false));
    else this.#socket.end();
  }

  readonly #onError = (): void => {
    this.#socket.destroy();
  };

  readonly #onClose = (): void => {
    this.#gone = true;
    this.#front.forget(this);
  };

  readonly #onTimeout = (): void => {
    // Idle past the keep-alive timeout, or a request that keeps arriving too slowly.
    if (this.#unwritten > 0) return;
    this.#socket.destroy();
  };

  #readRequests(): void {
    const front = this.#front;
    while (this.#buffer !== null && !this.#handOffWaiting) {
      const buffer = this.#buffer;
      let head = this.#head;
      if (head === undefined) {
        const end = buffer.indexOf(HEAD_END);
        if (end < 0 || end > MAX_HEADER_BYTES) {
          if (end > MAX_HEADER_BYTES || buffer.length > MAX_HEADER_BYTES) {
            this.#handOff();
            return;
          }
          this.#waitForRest();
          return;
        }
        head = this.#closing ? undefined : parseFrontHead(buffer.toString('latin1', 0, end), front);
        if (head === undefined) {
          this.#handOff();
          return;
        }
        this.#head = head;
        this.#bodyStart = end + HEAD_END.length;
      }
      const total = this.#bodyStart + head.contentLength;
      if (buffer.length < total) {
        this.#waitForRest();
        return;
      }
      const body = buffer.toString('utf8', this.#bodyStart, total);
      this.#buffer = buffer.length === total ? null : buffer.subarray(total);
      this.#head = undefined;
      this.#partialSince = 0;
      this.#serve(head, body);
    }
  }

  /** An unfinished request: a head still arriving gets Node's headers timeout. */
  #waitForRest(): void {
    // Node's headers timeout covers the head; a body has no time limit there (fastify's
    // requestTimeout is 0), here only the connection's idle timeout.
    if (this.#head !== undefined) return;
    const now = Date.now();
    if (this.#partialSince === 0) this.#partialSince = now;
    else if (now - this.#partialSince > HEADERS_TIMEOUT_MS && this.#unwritten === 0) {
      // As Node answers a request whose head is not complete within its headers timeout; nothing
      // that arrives after it is read.
      this.#ending = true;
      this.#buffer = null;
      this.#pieces = [];
      this.#pieceBytes = 0;
      this.#socket.end('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n');
    }
  }

  #serve(head: ParsedHead, body: string): void {
    const sequence = this.#read++;
    if (this.#unwritten >= MAX_UNWRITTEN) this.#pauseReading();
    let answered = false;
    const answer = (text: string): void => {
      if (answered) return;
      answered = true;
      this.#answer(sequence, text);
    };
    const front = this.#front;
    const request: FrontRequest = {
      id: front.newRequestId(),
      method: 'POST',
      url: '/',
      headers: head.headers,
      raw: { rawHeaders: head.rawHeaders },
      ip: this.#ip,
      body,
    };
    front.serve(request, {
      ok: (requestId, text) => {
        answer(front.answerHead(200, requestId, undefined, text, this.#isLast(sequence)) + text);
      },
      fail: (requestId, status, errorType, text) => {
        answer(front.answerHead(status, requestId, errorType, text, this.#isLast(sequence)) + text);
      },
    });
  }

  /**
   * Whether the answer to `sequence` is the last on this connection: the server is closing, it answers
   * the last request read, and no bytes wait to be read or handed over. Only that answer says
   * `Connection: close`; an earlier one says keep-alive, since more answers follow it on the connection.
   */
  #isLast(sequence: number): boolean {
    if (!this.#closing || sequence !== this.#read - 1 || this.#buffer !== null) return false;
    if (this.#handOffWaiting) return false;
    this.#ending = true;
    return true;
  }

  #answer(sequence: number, text: string): void {
    if (this.#gone) return;
    if (sequence !== this.#written + this.#queued) {
      this.#held.set(sequence, text);
      return;
    }
    this.#front.batch.end(this, text);
    this.#queued += 1;
    for (;;) {
      const next = this.#held.get(this.#written + this.#queued);
      if (next === undefined) break;
      this.#held.delete(this.#written + this.#queued);
      this.#front.batch.end(this, next);
      this.#queued += 1;
    }
  }

  /** Writes one answer (called by the batch, in the order answers were queued). */
  end(text: string): void {
    this.#queued -= 1;
    this.#written += 1;
    if (this.#gone) return;
    this.#socket.write(text);
    if (this.#unwritten > 0) return;
    if (this.#paused) {
      this.#paused = false;
      this.#socket.resume();
    }
    // A peer that has ended sends nothing more, and what it sent is not handed over: the socket's
    // 'end' is past, so Node's parser would never see it (unshift would fail and destroy the socket,
    // cutting off this answer), and Node's server ends a half-closed connection without answering.
    if (this.#peerEnded) this.#endAtEndOfInput();
    else if (this.#handOffWaiting) {
      // Called from the answer batch, which goes on past a throw: a hand-over that fails must not
      // leave the connection waiting for nothing.
      try {
        this.#giveToNode();
      } catch {
        this.#socket.destroy();
      }
    } else if (this.#closing && this.#buffer === null) this.#socket.end();
  }

  /** From here on Node reads this connection; it waits for the answers still owed. */
  #handOff(): void {
    this.#handOffWaiting = true;
    if (this.#unwritten > 0) {
      this.#pauseReading();
      return;
    }
    this.#giveToNode();
  }

  /** Stops reading until the answers owed are written (end() resumes). */
  #pauseReading(): void {
    if (this.#paused) return;
    this.#paused = true;
    this.#socket.pause();
  }

  #giveToNode(): void {
    const socket = this.#socket;
    socket.off('data', this.#onData);
    socket.off('end', this.#onEnd);
    socket.off('error', this.#onError);
    socket.off('close', this.#onClose);
    socket.off('timeout', this.#onTimeout);
    socket.setTimeout(0);
    this.#front.forget(this);
    const rest = this.#buffer;
    this.#buffer = null;
    this.#head = undefined;
    if (rest !== null) socket.unshift(rest);
    this.#front.giveToNode(socket);
    if (this.#paused || socket.isPaused()) socket.resume();
  }
}

/**
 * Sits in front of `server` (Node's HTTP server under fastify): takes each new connection and reads
 * what it can, handing the rest over to the server's own connection handling.
 */
export class HttpFront {
  readonly batch = new AnswerBatch();
  readonly bodyLimitBytes: number;
  readonly contentType: string;
  readonly newRequestId: () => string;
  readonly serve: (request: FrontRequest, answer: FrontAnswer) => void;
  readonly #answerContentType: string;
  readonly #extraHeaderLines: string;
  readonly #connections = new Set<FrontConnection>();
  #server: HttpServer | undefined;
  #nodeListener: ((socket: Socket) => void) | undefined;
  #closing = false;

  constructor(options: FrontOptions) {
    this.bodyLimitBytes = options.bodyLimitBytes;
    this.contentType = options.contentType;
    this.#answerContentType = options.answerContentType;
    this.#extraHeaderLines = options.extraHeaderLines ?? '';
    this.newRequestId = options.newRequestId;
    this.serve = options.serve;
  }

  /** Takes `server`'s new connections from here on. */
  attach(server: HttpServer): void {
    const listeners = server.listeners('connection') as ((socket: Socket) => void)[];
    if (listeners.length !== 1)
      throw new Error('the HTTP server has more than one connection listener');
    this.#server = server;
    this.#nodeListener = listeners[0];
    server.removeAllListeners('connection');
    server.on('connection', (socket: Socket) => {
      if (this.#closing) {
        this.giveToNode(socket);
        return;
      }
      this.#connections.add(new FrontConnection(this, socket));
    });
  }

  /** Node's keep-alive timeout on the server attached to: the front's connections keep the same. */
  get keepAliveTimeoutMs(): number {
    return this.#server?.keepAliveTimeout ?? 0;
  }

  /** Stops reading new requests: idle connections end, busy ones after their answers. */
  close(): void {
    this.#closing = true;
    for (const connection of this.#connections) connection.close();
  }

  /** Connections the front reads now. */
  get connections(): number {
    return this.#connections.size;
  }

  forget(connection: FrontConnection): void {
    this.#connections.delete(connection);
  }

  giveToNode(socket: Socket): void {
    const server = this.#server;
    const listener = this.#nodeListener;
    if (server === undefined || listener === undefined) {
      socket.destroy();
      return;
    }
    listener.call(server, socket);
  }

  answerHead(
    status: number,
    requestId: string,
    errorType: string | undefined,
    body: string,
    close: boolean,
  ): string {
    return (
      `HTTP/1.1 ${String(status)} ${STATUS_CODES[status] ?? 'Unknown'}\r\n${this.#extraHeaderLines}` +
      `content-type: ${this.#answerContentType}\r\nx-amzn-requestid: ${requestId}\r\n` +
      (errorType === undefined ? '' : `x-amzn-errortype: ${errorType}:\r\n`) +
      `content-length: ${String(Buffer.byteLength(body))}\r\nDate: ${httpDate()}\r\n` +
      (close
        ? 'Connection: close\r\n\r\n'
        : `Connection: keep-alive\r\nKeep-Alive: timeout=${String(Math.floor(this.keepAliveTimeoutMs / 1000))}\r\n\r\n`)
    );
  }
}
