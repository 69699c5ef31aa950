// The AWS JSON 1.1 wire protocol: POST / with X-Amz-Target: TrentService.<Operation>. Decodes, runs the
// pipeline (authenticate → validate → operation), and encodes results and errors as AWS does.
// Errors never echo plaintext or secrets; an unexpected fault is answered with a fixed message.
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import {
  KmsError,
  KMSInternalException,
  SerializationException,
  UnknownOperationException,
} from '../errors.js';
import { accountRoot, type Caller } from '../authz/principal.js';
import { operations } from './operations/index.js';
import { operationInputs } from './model.generated.js';
import type { Services, WireObject } from './services.js';
import { validateInput } from './validate.js';

const TARGET_PREFIX = 'TrentService.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';

/** Turns a signed HTTP request into the caller it acts for. Until authentication is enforced: the root. */
export interface Authenticator {
  authenticate(request: FastifyRequest, body: string): Caller | Promise<Caller>;
}

export interface ServerOptions {
  readonly services: Services;
  readonly logger: FastifyBaseLogger;
  readonly bodyLimitBytes: number;
  readonly dev: boolean;
  readonly authenticator?: Authenticator;
  /** Dev mode: wipes all state. */
  readonly reset?: () => Promise<void>;
  readonly isHealthy?: () => boolean;
}

function sendError(reply: FastifyReply, requestId: string, err: KmsError): FastifyReply {
  return reply
    .code(err.status)
    .header('content-type', CONTENT_TYPE)
    .header('x-amzn-requestid', requestId)
    .header('x-amzn-errortype', `${err.type}:`)
    .send(JSON.stringify({ __type: err.type, message: err.message }));
}

export function buildServer(options: ServerOptions): FastifyInstance {
  const { services } = options;
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: options.bodyLimitBytes,
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => randomUUID(),
    return503OnClosing: true,
    clientErrorHandler: answerUnreadableRequest,
  });
  const rootCaller = accountRoot(services.config.partition, services.config.accountId);
  const authenticator: Authenticator = options.authenticator ?? { authenticate: () => rootCaller };

  // Every body is read as text and parsed here, so that bad JSON is a SerializationException.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
    done(null, body);
  });

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    if (error instanceof KmsError) return sendError(reply, request.id, error);
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendError(
        reply,
        request.id,
        new KmsError(
          'RequestEntityTooLargeException',
          `Request body exceeds ${String(options.bodyLimitBytes)} bytes`,
          { status: 413 },
        ),
      );
    }
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      return sendError(
        reply,
        request.id,
        new SerializationException('The request could not be read.'),
      );
    }
    request.log.error({ err: error, requestId: request.id }, 'internal error');
    return sendError(reply, request.id, new KMSInternalException('An internal error occurred.'));
  });

  app.setNotFoundHandler((request, reply) =>
    sendError(
      reply,
      request.id,
      new UnknownOperationException(`No route for ${request.method} ${request.url}`),
    ),
  );

  app.get('/healthz', (_request, reply) => {
    const ok = options.isHealthy?.() ?? true;
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable' });
  });

  if (options.dev && options.reset) {
    const reset = options.reset;
    app.post('/_trent/reset', async (_request, reply) => {
      await reset();
      return reply.send({ reset: true });
    });
  }

  app.post('/', async (request, reply) => {
    const requestId = request.id;
    try {
      const target = request.headers['x-amz-target'];
      const opName =
        typeof target === 'string' && target.startsWith(TARGET_PREFIX)
          ? target.slice(TARGET_PREFIX.length)
          : undefined;
      const operation = opName === undefined ? undefined : operations.get(opName);
      const shapeName = opName === undefined ? undefined : operationInputs[opName];
      if (!operation || opName === undefined || shapeName === undefined || shapeName === null) {
        throw new UnknownOperationException(
          typeof target === 'string'
            ? `Unknown operation ${target.slice(0, 128)}`
            : 'Missing X-Amz-Target header',
        );
      }
      const text = typeof request.body === 'string' ? request.body : '';
      const caller = await authenticator.authenticate(request, text);
      const input = validateInput(shapeName, parseJson(text));
      const output: WireObject = await operation.handle(input, {
        caller: { ...caller, sourceIp: request.ip },
        requestId,
        services,
      });
      return await reply
        .code(200)
        .header('content-type', CONTENT_TYPE)
        .header('x-amzn-requestid', requestId)
        .send(JSON.stringify(output));
    } catch (err) {
      if (err instanceof KmsError) return sendError(reply, requestId, err);
      request.log.error({ err, requestId }, 'internal error');
      return sendError(reply, requestId, new KMSInternalException('An internal error occurred.'));
    }
  });

  return app;
}

/** A request that is not even HTTP still gets an AWS-style JSON error before the connection closes. */
function answerUnreadableRequest(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
  const body = JSON.stringify({
    __type: 'SerializationException',
    message: tooLarge ? 'The request headers are too large.' : 'The request is not valid HTTP.',
  });
  socket.end(
    `HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\n` +
      `Content-Type: ${CONTENT_TYPE}\r\nContent-Length: ${String(Buffer.byteLength(body))}\r\n` +
      `Connection: close\r\n\r\n${body}`,
  );
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SerializationException('The request body is not valid JSON.');
  }
}
