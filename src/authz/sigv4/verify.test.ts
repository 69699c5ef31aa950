// Tamper tests: a request signed by @smithy/signature-v4 verifies; changing any signed header, any
// body byte, the date, the credential scope or the signature makes it fail with AWS's error.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../../../test/e2e/signing.js';
import { KmsError } from '../../errors.js';
import { groupHeaders } from './canonical-request.js';
import { deriveSigningKey, SigningKeyCache, signingSecret } from './signing-key.js';
import { verifySignedRequest, type SignedRequest, type VerifyOptions } from './verify.js';
import { expiredToken, unrecognizedClient } from './errors.js';

const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);
const CREDENTIALS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const SECRET = signingSecret(CREDENTIALS.secretAccessKey);
const BODY = '{"KeyId":"alias/app","Plaintext":"aGVsbG8="}';

async function signRequest(
  options: { region?: string; service?: string; date?: number; body?: string } = {},
) {
  const signer = new SignatureV4({
    credentials: CREDENTIALS,
    region: options.region ?? 'us-east-1',
    service: options.service ?? 'kms',
    sha256: NodeSha256,
  });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: 'kms.local',
      path: '/',
      headers: {
        host: 'kms.local:8080',
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'TrentService.Encrypt',
      },
      body: options.body ?? BODY,
    },
    { signingDate: new Date(options.date ?? NOW) },
  );
  return { headers: { ...(signed.headers as Record<string, string>) }, body: options.body ?? BODY };
}

function toRequest(headers: Record<string, string>, body: string): SignedRequest {
  return {
    method: 'POST',
    path: '/',
    query: '',
    headers: groupHeaders(Object.entries(headers).flat()),
    body,
  };
}

const options: VerifyOptions<string> = {
  region: 'us-east-1',
  service: 'kms',
  nowMs: NOW,
  cache: new SigningKeyCache(),
  resolve: (accessKeyId) => {
    if (accessKeyId !== CREDENTIALS.accessKeyId) throw unrecognizedClient();
    return { secret: SECRET, principal: 'alice' };
  },
};

function failure(
  request: SignedRequest,
  opts: VerifyOptions<string> = options,
): { type: string; message: string } {
  try {
    verifySignedRequest(request, opts);
  } catch (err) {
    if (err instanceof KmsError) return { type: err.type, message: err.message };
    throw err;
  }
  throw new Error('expected verification to fail');
}

describe('verifySignedRequest', () => {
  it('accepts a request signed by @smithy/signature-v4', async () => {
    const { headers, body } = await signRequest();
    expect(verifySignedRequest(toRequest(headers, body), options)).toEqual({
      accessKeyId: CREDENTIALS.accessKeyId,
      principal: 'alice',
    });
  });

  it('rejects a change to any signed header', async () => {
    const { headers, body } = await signRequest();
    const signedNames = /SignedHeaders=([^,]+)/.exec(headers.authorization!)![1]!.split(';');
    expect(signedNames).toEqual(
      expect.arrayContaining(['host', 'x-amz-date', 'x-amz-target', 'content-type']),
    );
    for (const name of signedNames) {
      const key = Object.keys(headers).find((k) => k.toLowerCase() === name)!;
      const value = headers[key]!;
      const changed =
        name === 'x-amz-date'
          ? value.replace(/\d(?=Z$)/, (d) => String((+d + 1) % 10))
          : `${value}x`;
      expect(failure(toRequest({ ...headers, [key]: changed }, body)).type, name).toBe(
        'InvalidSignatureException',
      );
    }
  });

  it('ignores headers that were not signed', async () => {
    const { headers, body } = await signRequest();
    expect(() =>
      verifySignedRequest(toRequest({ ...headers, 'x-forwarded-for': '10.0.0.1' }, body), options),
    ).not.toThrow();
  });

  it('rejects a change to any body byte', async () => {
    const { headers, body } = await signRequest();
    for (let i = 0; i < body.length; i++) {
      const changed =
        body.slice(0, i) + String.fromCharCode(body.charCodeAt(i) ^ 1) + body.slice(i + 1);
      expect(failure(toRequest(headers, changed)).type).toBe('InvalidSignatureException');
    }
    expect(failure(toRequest(headers, body + ' ')).type).toBe('InvalidSignatureException');
  });

  it('rejects an x-amz-content-sha256 header that does not match the body', async () => {
    const { headers, body } = await signRequest();
    const result = failure(toRequest({ ...headers, 'x-amz-content-sha256': '0'.repeat(64) }, body));
    expect(result).toEqual({
      type: 'InvalidSignatureException',
      message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
    });
  });

  it('rejects a change to the signature', async () => {
    const { headers, body } = await signRequest();
    const auth = headers.authorization!;
    const last = auth.at(-1) === '0' ? '1' : '0';
    expect(
      failure(toRequest({ ...headers, authorization: auth.slice(0, -1) + last }, body)).type,
    ).toBe('InvalidSignatureException');
    expect(failure(toRequest({ ...headers, authorization: auth.slice(0, -2) }, body)).type).toBe(
      'InvalidSignatureException',
    );
  });

  it('rejects a credential scope with another date, region, service or terminator', async () => {
    const { headers, body } = await signRequest();
    const auth = headers.authorization!;
    const cases: [string, string][] = [
      ['/20261129/', '/20261128/'],
      ['/us-east-1/', '/us-west-2/'],
      ['/kms/', '/sts/'],
      ['/aws4_request', '/aws4_reques'],
    ];
    const messages = cases.map(([from, to]) =>
      failure(toRequest({ ...headers, authorization: auth.replace(from, to) }, body)),
    );
    expect(messages.map((m) => m.type)).toEqual(Array(4).fill('InvalidSignatureException'));
    expect(messages[0]!.message).toBe(
      "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20261128' != '20261129', from '20261129T120000Z'.",
    );
    expect(messages[2]!.message).toBe("Credential should be scoped to correct service: 'kms'. ");
    expect(messages[3]!.message).toBe(
      "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws4_reques'. ",
    );
  });

  it('rejects requests signed for another region or service', async () => {
    for (const opts of [{ region: 'eu-west-1' }, { service: 'sts' }]) {
      const { headers, body } = await signRequest(opts);
      expect(failure(toRequest(headers, body)).type).toBe('InvalidSignatureException');
    }
  });

  it('rejects an unknown access key id as the resolver decides', async () => {
    const { headers, body } = await signRequest();
    const auth = headers.authorization!.replace(CREDENTIALS.accessKeyId, 'AKIAXXXXXXXXXXXXXXXX');
    expect(failure(toRequest({ ...headers, authorization: auth }, body)).type).toBe(
      'UnrecognizedClientException',
    );
  });

  it('passes the security token to the resolver, which may refuse it as expired', async () => {
    const { headers, body } = await signRequest();
    let seen: string | undefined;
    const result = failure(toRequest({ ...headers, 'x-amz-security-token': 'token-1' }, body), {
      ...options,
      resolve: (_id, token) => {
        seen = token;
        throw expiredToken();
      },
    });
    expect(seen).toBe('token-1');
    expect(result.type).toBe('ExpiredTokenException');
  });

  it('enforces the 5-minute clock skew in both directions, with AWS message forms', async () => {
    const { headers, body } = await signRequest({ date: NOW - 5 * 60_000 - 1000 });
    expect(failure(toRequest(headers, body))).toEqual({
      type: 'InvalidSignatureException',
      message:
        'Signature expired: 20261129T115459Z is now earlier than 20261129T115500Z (20261129T120000Z - 5 min.)',
    });
    const ahead = await signRequest({ date: NOW + 5 * 60_000 + 1000 });
    expect(failure(toRequest(ahead.headers, ahead.body))).toEqual({
      type: 'InvalidSignatureException',
      message:
        'Signature not yet current: 20261129T120501Z is still later than 20261129T120500Z (20261129T120000Z + 5 min.)',
    });
    const edge = await signRequest({ date: NOW - 5 * 60_000 });
    expect(() => verifySignedRequest(toRequest(edge.headers, edge.body), options)).not.toThrow();
  });

  it('requires an Authorization header', () => {
    expect(failure(toRequest({ host: 'kms.local' }, BODY))).toEqual({
      type: 'MissingAuthenticationTokenException',
      message: 'Missing Authentication Token',
    });
  });

  it('names every missing Authorization component', async () => {
    const { headers, body } = await signRequest();
    const undated = { ...headers };
    delete undated['x-amz-date'];
    const result = failure(
      toRequest(
        {
          ...undated,
          authorization:
            'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261129/us-east-1/kms/aws4_request',
        },
        body,
      ),
    );
    expect(result).toEqual({
      type: 'IncompleteSignatureException',
      message:
        "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261129/us-east-1/kms/aws4_request",
    });
  });

  it('rejects a malformed credential and a malformed date as incomplete', async () => {
    const { headers, body } = await signRequest();
    const auth = headers.authorization!.replace('/us-east-1/kms/aws4_request', '/us-east-1');
    expect(failure(toRequest({ ...headers, authorization: auth }, body)).type).toBe(
      'IncompleteSignatureException',
    );
    expect(
      failure(toRequest({ ...headers, 'x-amz-date': '2026-11-29T12:00:00Z' }, body)).type,
    ).toBe('IncompleteSignatureException');
  });

  it('requires host and x-amz-date among the signed headers', async () => {
    const { headers, body } = await signRequest();
    const withoutHost = headers.authorization!.replace('host;', '');
    expect(failure(toRequest({ ...headers, authorization: withoutHost }, body)).message).toBe(
      "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    );
    const withoutDate = headers.authorization!.replace(';x-amz-date', '');
    expect(failure(toRequest({ ...headers, authorization: withoutDate }, body)).type).toBe(
      'InvalidSignatureException',
    );
  });
});

describe('a request dated by the HTTP Date header', () => {
  it('verifies when X-Amz-Date is absent and Date is signed', async () => {
    const { signedRequestWithDateHeader } =
      await import('../../../test/fixtures/sigv4-date-header.js');
    const request = signedRequestWithDateHeader(CREDENTIALS.secretAccessKey, NOW);
    expect(verifySignedRequest(request, options).principal).toBe('alice');
    const moved = new Map(request.headers as Map<string, string[]>);
    moved.set('date', ['Sun, 29 Nov 2026 12:00:01 GMT']);
    expect(failure({ ...request, headers: moved }).type).toBe('InvalidSignatureException');
  });
});

describe('SigningKeyCache', () => {
  const scope = (text: string) => {
    const [accessKeyId = '', date = '', region = '', service = '', terminator = ''] =
      text.split('/');
    return { text, accessKeyId, date, region, service, terminator };
  };

  it('derives a key once per credential and scope, and again for another secret', () => {
    const cache = new SigningKeyCache();
    const today = scope('AKIA1/20261129/us-east-1/kms/aws4_request');
    const a = cache.get(today, SECRET);
    expect(cache.get(scope('AKIA1/20261129/us-east-1/kms/aws4_request'), SECRET)).toBe(a);
    expect(cache.get(scope('AKIA1/20261130/us-east-1/kms/aws4_request'), SECRET)).not.toBe(a);
    expect(cache.size).toBe(2);
    const other = signingSecret('another secret');
    const b = cache.get(today, other);
    expect(b).not.toBe(a);
    expect(b.hex('message')).not.toBe(a.hex('message'));
  });

  it('signs with the key derived from the secret, date, region and service', () => {
    const key = new SigningKeyCache().get(
      scope('AKIA1/20261129/eu-west-1/sts/aws4_request'),
      SECRET,
    );
    const derived = deriveSigningKey(SECRET, '20261129', 'eu-west-1', 'sts');
    expect(key.hex('string to sign')).toBe(
      createHmac('sha256', derived).update('string to sign').digest('hex'),
    );
  });

  it('wipes a key it replaces for another secret', () => {
    const cache = new SigningKeyCache();
    const today = scope('AKIA1/20261129/us-east-1/kms/aws4_request');
    const replaced = cache.get(today, SECRET);
    const before = replaced.hex('message');
    cache.get(today, signingSecret('rotated secret'));
    expect(replaced.hex('message')).not.toBe(before);
  });
});
