// The AWS front-end authentication errors and their exact message texts. Messages may echo the
// Authorization header (as AWS does: it holds no secret) but never a secret key or session token.
import {
  ExpiredTokenException,
  IncompleteSignatureException,
  InvalidSignatureException,
  MissingAuthenticationTokenException,
  UnrecognizedClientException,
  type KmsError,
} from '../../errors.js';

export const SIGNATURE_MISMATCH_MESSAGE =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

export function missingAuthentication(): KmsError {
  return new MissingAuthenticationTokenException('Missing Authentication Token');
}

export function incompleteSignature(message: string): KmsError {
  return new IncompleteSignatureException(message);
}

export function signatureMismatch(): KmsError {
  return new InvalidSignatureException(SIGNATURE_MISMATCH_MESSAGE);
}

export function invalidSignature(message: string): KmsError {
  return new InvalidSignatureException(message);
}

export function unrecognizedClient(): KmsError {
  return new UnrecognizedClientException('The security token included in the request is invalid.');
}

export function expiredToken(): KmsError {
  return new ExpiredTokenException('The security token included in the request is expired');
}
