// Turns a SigV4-signed HTTP request into the Caller it acts for, from the in-memory registry: no
// database read on this path. Derived signing keys are cached per credential, day, region, service.
import type { Clock } from '../../keys/clock.js';
import type { Caller } from '../principal.js';
import { readRawHeaders } from '../sigv4/raw-headers.js';
import { SigningKeyCache } from '../sigv4/signing-key.js';
import { verifySignedRequest } from '../sigv4/verify.js';
import type { PrincipalRegistry } from './principal-registry.js';

/** The parts of an incoming request SigV4 reads (a FastifyRequest fits). */
export interface IncomingSignedRequest {
  readonly method: string;
  readonly url: string;
  readonly raw: { readonly rawHeaders: readonly string[] };
}

export interface SigV4Authenticator {
  authenticate(request: IncomingSignedRequest, body: string, service?: string): Caller;
}

export function sigv4Authenticator(
  registry: PrincipalRegistry,
  options: { readonly region: string; readonly clock: Clock },
): SigV4Authenticator {
  const cache = new SigningKeyCache();
  const resolve = registry.resolveCredential.bind(registry);
  return {
    authenticate(request, body, service = 'kms') {
      const q = request.url.indexOf('?');
      const verified = verifySignedRequest(
        {
          method: request.method,
          path: q < 0 ? request.url : request.url.slice(0, q),
          query: q < 0 ? '' : request.url.slice(q + 1),
          headers: readRawHeaders(request.raw.rawHeaders),
          body,
        },
        { region: options.region, service, nowMs: options.clock.now(), cache, resolve },
      );
      return verified.principal;
    },
  };
}
