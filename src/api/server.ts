// The AWS JSON 1.1 wire protocol: POST / with X-Amz-Target: TrentService.<Operation>. Decodes, runs the
// pipeline (authenticate → validate → operation), and encodes results and errors as AWS does.
// Errors never echo plaintext or secrets; an unexpected fault is answered with a fixed message.
// Every request, whatever its outcome, leaves one audit record, written here and never by an operation.
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyBodyParser,
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
import type { AuditEntry } from '../audit/hash-chain.js';
import { mayServeUnaudited, usageTrackedOperations } from '../audit/operation-classes.js';
import { answerJson } from './answer-json.js';
import { lazyChildLogger } from './lazy-logger.js';
import { RequestAudit } from './request-audit.js';
import { AnswerBatch } from './answer-batch.js';
import { HttpFront, unreadableRequestAnswer, type FrontAnswer } from './http-front.js';
import { operations } from './operations/index.js';
import { operationInputs } from './model.generated.js';
import type { Services, WireObject } from './services.js';
import { validateInput } from './validate.js';
import { handleStsRequest } from './sts/handle-sts.js';
import { isQueryRequest } from './sts/query-protocol.js';

const TARGET_PREFIX = 'TrentService.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';

/** What the pipeline reads of an HTTP request, from fastify or from the front (./http-front.ts). */
export interface KmsHttpRequest {
  readonly id: string;
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly raw: { readonly rawHeaders: readonly string[] };
  readonly ip: string;
}

/** Turns a signed HTTP request into the caller it acts for (dev mode without auth: the root).
 *  `service` is the signing name the request must be scoped to: 'kms', or 'sts' for STS calls. */
export interface Authenticator {
  authenticate(request: KmsHttpRequest, body: string, service?: string): Caller | Promise<Caller>;
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
  /** Where each request's audit record goes. */
  readonly audit?: AuditRecorder;
  /** Set in a worker of several: every answer names it in `x-trent-worker`. */
  readonly workerId?: number;
}

/** The audit writer as the pipeline uses it (src/audit/audit-log.ts implements it). */
export interface AuditRecorder {
  readonly isAvailable: boolean;
  /**
   * Takes a request's record as its entry (src/audit/hash-chain.ts). Resolves when the record is
   * accepted (async) or committed (sync); rejects when it cannot be.
   */
  recordEntry(entry: AuditEntry): Promise<void>;
}

/** What a request gets when its record cannot be made durable and it must not be served unaudited. */
function auditUnavailable(): KmsError {
  return new KMSInternalException(
    'The audit trail is unavailable, so this request was refused. Retry later.',
  );
}

/** The Content-Type fastify has always sent with CONTENT_TYPE: a JSON media type gains a charset. */
const ANSWER_CONTENT_TYPE = `${CONTENT_TYPE}; charset=utf-8`;

/**
 * Writes a successful answer straight to the response: the status, headers (same names, values and
 * order) and body that reply.send wrote, without fastify parsing the Content-Type again and running
 * the send path for every reply. No onSend or onResponse hook is registered; the response listeners
 * fastify set up for the request (timings, socket bookkeeping) still run when it finishes. The body
 * is sent with the other answers finished in this turn of the event loop (./answer-batch.ts).
 */
function sendOutput(
  answers: AnswerBatch,
  reply: FastifyReply,
  requestId: string,
  body: string,
): FastifyReply {
  reply.hijack();
  reply.raw.writeHead(200, {
    'content-type': ANSWER_CONTENT_TYPE,
    'x-amzn-requestid': requestId,
    'content-length': String(Buffer.byteLength(body)),
  });
  answers.end(reply.raw, body);
  return reply;
}

/** Answers a request fastify read, through its reply. */
function replyAnswer(answers: AnswerBatch, reply: FastifyReply): FrontAnswer {
  return {
    ok(requestId, body) {
      sendOutput(answers, reply, requestId, body);
    },
    fail(requestId, status, errorType, body) {
      void reply
        .code(status)
        .header('content-type', CONTENT_TYPE)
        .header('x-amzn-requestid', requestId)
        .header('x-amzn-errortype', `${errorType}:`)
        .send(body);
    },
  };
}

function answerError(answer: FrontAnswer, requestId: string, err: KmsError): void {
  answer.fail(
    requestId,
    err.status,
    err.type,
    JSON.stringify({ __type: err.type, message: err.message }),
  );
}

export function buildServer(options: ServerOptions): FastifyInstance {
  const { services } = options;
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: options.bodyLimitBytes,
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => randomUUID(),
    childLoggerFactory: lazyChildLogger,
    return503OnClosing: true,
    clientErrorHandler: answerUnreadableRequest,
  });
  const log = options.logger;
  // Reads the plain KMS requests off each connection itself and hands the rest to fastify (see there).
  const front = new HttpFront({
    bodyLimitBytes: options.bodyLimitBytes,
    contentType: CONTENT_TYPE,
    answerContentType: ANSWER_CONTENT_TYPE,
    extraHeaderLines:
      options.workerId === undefined ? '' : `x-trent-worker: ${String(options.workerId)}\r\n`,
    newRequestId: randomUUID,
    serve: (request, answer) => {
      serveKms(request, request.body, answer).catch((err: unknown) => {
        log.error({ err, requestId: request.id }, 'internal error');
        answerError(answer, request.id, new KMSInternalException('An internal error occurred.'));
      });
    },
  });
  front.attach(app.server);
  app.addHook('preClose', (done) => {
    front.close();
    done();
  });
  if (options.workerId !== undefined) {
    const worker = String(options.workerId);
    // On the raw response, so that answers written past fastify's send path carry it too.
    app.addHook('onRequest', (_request, reply, done) => {
      reply.raw.setHeader('x-trent-worker', worker);
      done();
    });
  }
  const rootCaller = accountRoot(services.config.partition, services.config.accountId);
  const authenticator: Authenticator = options.authenticator ?? { authenticate: () => rootCaller };

  // Every body is read as text and parsed here, so that bad JSON is a SerializationException.
  app.removeAllContentTypeParsers();
  const passBodyThrough: FastifyBodyParser<string> = (_req, body, done) => {
    done(null, body);
  };
  app.addContentTypeParser('*', { parseAs: 'string' }, passBodyThrough);
  // The same parser, named for the type every KMS client sends: fastify caches a named type's parser
  // by the header's text, where the catch-all alone makes it parse the Content-Type of every request.
  app.addContentTypeParser(CONTENT_TYPE, { parseAs: 'string' }, passBodyThrough);

  /** Records the outcome, then answers; a refused record turns a result into an error where it must. */
  async function finish(
    audit: RequestAudit,
    answer: FrontAnswer,
    outcome: { output: WireObject } | { error: KmsError },
  ): Promise<void> {
    const eventTimeMs = services.clock.now();
    let result = outcome;
    if (options.audit) {
      try {
        await options.audit.recordEntry(audit.finishEntry(eventTimeMs, outcome));
      } catch {
        // The record was refused (queue full) or, in sync mode, not committed: nothing is served.
        result = { error: auditUnavailable() };
      }
    }
    if ('error' in result) {
      answerError(answer, audit.requestId, result.error);
      return;
    }
    // Last usage is noted from the same facts as the record: operation, time and request id.
    if (usageTrackedOperations.has(audit.eventName)) {
      for (const keyId of audit.keyIds) {
        services.keyring.noteUsage({
          keyId,
          operation: audit.eventName,
          at: eventTimeMs,
          requestId: audit.requestId,
        });
      }
    }
    answer.ok(audit.requestId, answerJson(result.output));
  }

  /** Audits a request the route never saw (unreadable body, unknown path) and answers its error. */
  async function finishEarly(request: FastifyRequest, reply: FastifyReply, error: KmsError) {
    const audit = new RequestAudit(request, services);
    audit.nameOperation(operationNameOf(request.headers['x-amz-target']));
    await finish(audit, replyAnswer(front.batch, reply), { error });
    return reply;
  }

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    if (error instanceof KmsError) return finishEarly(request, reply, error);
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return finishEarly(
        request,
        reply,
        new KmsError(
          'RequestEntityTooLargeException',
          `Request body exceeds ${String(options.bodyLimitBytes)} bytes`,
          { status: 413 },
        ),
      );
    }
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      return finishEarly(
        request,
        reply,
        new SerializationException('The request could not be read.'),
      );
    }
    request.log.error({ err: error, requestId: request.id }, 'internal error');
    return finishEarly(request, reply, new KMSInternalException('An internal error occurred.'));
  });

  app.setNotFoundHandler((request, reply) =>
    finishEarly(
      request,
      reply,
      new UnknownOperationException(`No route for ${request.method} ${request.url.slice(0, 128)}`),
    ),
  );

  /** The KMS pipeline for one request, read by fastify or by the front: authenticate, validate, run, record, answer. */
  async function serveKms(
    request: KmsHttpRequest,
    text: string,
    answer: FrontAnswer,
  ): Promise<void> {
    const requestId = request.id;
    const audit = new RequestAudit(request, services);
    let outcome: { output: WireObject } | { error: KmsError };
    try {
      const target = request.headers['x-amz-target'];
      const opName = operationNameOf(target);
      audit.nameOperation(opName);
      const operation = opName === undefined ? undefined : operations.get(opName);
      const shapeName = opName === undefined ? undefined : operationInputs[opName];
      if (!operation || opName === undefined || shapeName === undefined || shapeName === null) {
        throw new UnknownOperationException(
          typeof target === 'string'
            ? `Unknown operation ${target.slice(0, 128)}`
            : 'Missing X-Amz-Target header',
        );
      }
      const caller = await authenticator.authenticate(request, text, 'kms');
      audit.authenticated(caller);
      const json = parseJson(text);
      let input: WireObject;
      try {
        input = validateInput(shapeName, json);
      } catch (err) {
        audit.unvalidated(json);
        throw err;
      }
      audit.validated(input);
      // Precondition: a request that must not be served unaudited is refused while the trail is down.
      if (options.audit && !options.audit.isAvailable && !mayServeUnaudited(opName)) {
        log.error({ requestId, operation: opName }, 'audit trail unavailable: refused');
        throw auditUnavailable();
      }
      const output: WireObject = await operation.handle(input, {
        // Object.assign, not `{ ...caller, sourceIp }`, which Node 20's V8 builds on a slow path.
        caller: Object.assign({}, caller, { sourceIp: request.ip }),
        requestId,
        services: audit.servicesForOperation(),
      });
      outcome = { output };
    } catch (err) {
      if (!(err instanceof KmsError)) log.error({ err, requestId }, 'internal error');
      outcome = {
        error:
          err instanceof KmsError ? err : new KMSInternalException('An internal error occurred.'),
      };
    }
    await finish(audit, answer, outcome);
  }

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
    if (
      request.headers['x-amz-target'] === undefined &&
      isQueryRequest(request.headers['content-type'])
    )
      return handleStsRequest(request, reply, (r, body) =>
        authenticator.authenticate(r, body, 'sts'),
      );
    await serveKms(
      {
        id: requestId,
        method: request.method,
        url: request.url,
        headers: request.headers,
        raw: request.raw,
        ip: request.ip,
      },
      typeof request.body === 'string' ? request.body : '',
      replyAnswer(front.batch, reply),
    );
    return reply;
  });

  return app;
}

/** A request that is not even HTTP still gets an AWS-style JSON error before the connection closes. */
function answerUnreadableRequest(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(unreadableRequestAnswer(err.code === 'HPE_HEADER_OVERFLOW'));
}

function operationNameOf(target: string | string[] | undefined): string | undefined {
  return typeof target === 'string' && target.startsWith(TARGET_PREFIX)
    ? target.slice(TARGET_PREFIX.length)
    : undefined;
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SerializationException('The request body is not valid JSON.');
  }
}
