// The AWS query protocol as STS speaks it: form-encoded requests (Action=…&Version=2011-06-15) and
// XML responses and errors. Only GetCallerIdentity is served. Errors never echo secrets.
import type { Caller } from '../../authz/principal.js';
import { KmsError } from '../../errors.js';

export const STS_VERSION = '2011-06-15';
const XMLNS = `https://sts.amazonaws.com/doc/${STS_VERSION}/`;

export function isQueryRequest(contentType: string | undefined): boolean {
  return contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded') === true;
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) =>
    c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : c === "'" ? '&apos;' : '&quot;',
  );
}

export function getCallerIdentityXml(caller: Caller, requestId: string): string {
  return `<GetCallerIdentityResponse xmlns="${XMLNS}">
  <GetCallerIdentityResult>
    <Arn>${escapeXml(caller.arn)}</Arn>
    <UserId>${escapeXml(caller.userId ?? caller.accountId)}</UserId>
    <Account>${escapeXml(caller.accountId)}</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata>
    <RequestId>${requestId}</RequestId>
  </ResponseMetadata>
</GetCallerIdentityResponse>
`;
}

/** STS's names and statuses for the front-end errors (https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html). */
const STS_ERRORS: ReadonlyMap<string, { code: string; status: number; message?: string }> = new Map(
  [
    ['UnrecognizedClientException', { code: 'InvalidClientTokenId', status: 403 }],
    ['InvalidSignatureException', { code: 'SignatureDoesNotMatch', status: 403 }],
    ['IncompleteSignatureException', { code: 'IncompleteSignature', status: 400 }],
    [
      'MissingAuthenticationTokenException',
      {
        code: 'MissingAuthenticationToken',
        status: 403,
        message: 'Request is missing Authentication Token',
      },
    ],
    ['ExpiredTokenException', { code: 'ExpiredToken', status: 400 }],
    ['KMSInternalException', { code: 'InternalFailure', status: 500 }],
  ],
);

export interface XmlError {
  readonly status: number;
  readonly body: string;
}

export function stsErrorXml(err: KmsError, requestId: string): XmlError {
  const mapped = STS_ERRORS.get(err.type);
  const code = mapped?.code ?? err.type;
  const status = mapped?.status ?? err.status;
  const message = mapped?.message ?? err.message;
  return {
    status,
    body: `<ErrorResponse xmlns="${XMLNS}">
  <Error>
    <Type>${err.fault === 'server' ? 'Receiver' : 'Sender'}</Type>
    <Code>${escapeXml(code)}</Code>
    <Message>${escapeXml(message)}</Message>
  </Error>
  <RequestId>${requestId}</RequestId>
</ErrorResponse>
`,
  };
}

export function invalidAction(action: string): KmsError {
  return new KmsError(
    'InvalidAction',
    `Could not find operation ${action.slice(0, 64)} for version ${STS_VERSION}`,
  );
}
