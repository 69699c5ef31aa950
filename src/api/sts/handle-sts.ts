// Serves STS query-protocol requests that arrive on the KMS endpoint (POST / without X-Amz-Target,
// form-encoded, signed for service `sts`): GetCallerIdentity, which tools call to learn who they are.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Caller } from '../../authz/principal.js';
import { KmsError, KMSInternalException } from '../../errors.js';
import { getCallerIdentityXml, invalidAction, stsErrorXml } from './query-protocol.js';

const XML = 'text/xml';

export async function handleStsRequest(
  request: FastifyRequest,
  reply: FastifyReply,
  authenticate: (request: FastifyRequest, body: string) => Caller | Promise<Caller>,
): Promise<FastifyReply> {
  const requestId = request.id;
  try {
    const body = typeof request.body === 'string' ? request.body : '';
    const caller = await authenticate(request, body);
    const action = new URLSearchParams(body).get('Action') ?? '';
    if (action !== 'GetCallerIdentity') throw invalidAction(action);
    return await reply
      .code(200)
      .header('content-type', XML)
      .header('x-amzn-requestid', requestId)
      .send(getCallerIdentityXml(caller, requestId));
  } catch (err) {
    let error: KmsError;
    if (err instanceof KmsError) error = err;
    else {
      request.log.error({ err, requestId }, 'internal error');
      error = new KMSInternalException('An internal error occurred.');
    }
    const { status, body } = stsErrorXml(error, requestId);
    return reply
      .code(status)
      .header('content-type', XML)
      .header('x-amzn-requestid', requestId)
      .send(body);
  }
}
