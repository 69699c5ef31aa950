// The AWS KMS exceptions Trent can raise. Only api/server.ts reads `status`; nothing here may carry
// plaintext, key material or secrets in a message.

export type Fault = 'client' | 'server';

/** An error that is answered to the caller as `{"__type": type, "message": message}`. */
export class KmsError extends Error {
  readonly type: string;
  readonly fault: Fault;
  readonly status: number;

  constructor(
    type: string,
    message: string,
    options?: { status?: number; fault?: Fault; cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = type;
    this.type = type;
    this.fault = options?.fault ?? 'client';
    this.status = options?.status ?? (this.fault === 'server' ? 500 : 400);
  }
}

function define(type: string, status = 400, fault: Fault = 'client') {
  const cls = class extends KmsError {
    constructor(message: string, options?: { cause?: unknown }) {
      super(type, message, { status, fault, ...options });
    }
  };
  Object.defineProperty(cls, 'name', { value: type });
  return cls;
}

// Status codes: 400 for every client error (what the live service sends, REFERENCE.md §5), 500 for
// internal faults and an unavailable key, 503 for a dependency timeout.
export const AccessDeniedException = define('AccessDeniedException');
export const AlreadyExistsException = define('AlreadyExistsException');
export const ConflictException = define('ConflictException');
export const CustomKeyStoreNotFoundException = define('CustomKeyStoreNotFoundException');
export const DependencyTimeoutException = define('DependencyTimeoutException', 503, 'server');
export const DisabledException = define('DisabledException');
export const DryRunOperationException = define('DryRunOperationException');
export const IncorrectKeyException = define('IncorrectKeyException');
export const InvalidAliasNameException = define('InvalidAliasNameException');
export const InvalidArnException = define('InvalidArnException');
export const InvalidCiphertextException = define('InvalidCiphertextException');
export const InvalidGrantIdException = define('InvalidGrantIdException');
export const InvalidGrantTokenException = define('InvalidGrantTokenException');
export const InvalidKeyUsageException = define('InvalidKeyUsageException');
export const InvalidMarkerException = define('InvalidMarkerException');
export const KMSInternalException = define('KMSInternalException', 500, 'server');
export const KMSInvalidMacException = define('KMSInvalidMacException');
export const KMSInvalidSignatureException = define('KMSInvalidSignatureException');
export const KMSInvalidStateException = define('KMSInvalidStateException');
export const KeyUnavailableException = define('KeyUnavailableException', 500, 'server');
export const LimitExceededException = define('LimitExceededException');
export const MalformedPolicyDocumentException = define('MalformedPolicyDocumentException');
export const NotAuthorizedException = define('NotAuthorizedException');
export const NotFoundException = define('NotFoundException');
export const TagException = define('TagException');
export const UnsupportedOperationException = define('UnsupportedOperationException');
export const ValidationException = define('ValidationException');
// Protocol-level errors sent by the AWS front end rather than by KMS itself.
// Authentication errors: 400, as the AWS JSON front end sends them for KMS; a missing token is 403.
// SDKs map them by `__type`, whatever the status.
export const ExpiredTokenException = define('ExpiredTokenException');
export const IncompleteSignatureException = define('IncompleteSignatureException');
export const InvalidSignatureException = define('InvalidSignatureException');
export const MissingAuthenticationTokenException = define(
  'MissingAuthenticationTokenException',
  403,
);
export const SerializationException = define('SerializationException');
export const UnknownOperationException = define('UnknownOperationException');
export const UnrecognizedClientException = define('UnrecognizedClientException');
export const RequestEntityTooLargeException = define('RequestEntityTooLargeException', 413);
export const ServiceUnavailableException = define('ServiceUnavailableException', 503, 'server');

/** The one message every undecryptable ciphertext gets, whatever the reason. */
export const INVALID_CIPHERTEXT_MESSAGE =
  'The ciphertext is invalid or was not produced by this service.';

export function invalidCiphertext(cause?: unknown): KmsError {
  return new InvalidCiphertextException(INVALID_CIPHERTEXT_MESSAGE, { cause });
}
