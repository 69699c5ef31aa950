import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthHarness, TEST_CREDENTIALS, type AuthHarness } from '../test/e2e/harness.js';
import { sendRaw } from './kms-call.js';
import { amzDate, RequestSigner } from './sigv4.js';

class NodeSha256 {
  private readonly hash: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash =
      secret === undefined
        ? createHash('sha256')
        : createHmac(
            'sha256',
            typeof secret === 'string' ? secret : Buffer.from(secret as Uint8Array),
          );
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(typeof data === 'string' ? data : Buffer.from(data as Uint8Array));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

const date = new Date('2026-11-29T17:50:00.000Z');
const body = JSON.stringify({ KeyId: 'alias/bench', Plaintext: 'aGVsbG8=' });

describe('RequestSigner', () => {
  it('writes x-amz-date in the ISO 8601 basic format', () => {
    expect(amzDate(date)).toBe('20261129T175000Z');
  });

  it('produces the same Authorization header as @smithy/signature-v4', async () => {
    const ours = new RequestSigner(TEST_CREDENTIALS, 'eu-west-1').sign({
      host: '127.0.0.1:8080',
      target: 'TrentService.Encrypt',
      body,
      date,
    });
    const smithy = new SignatureV4({
      credentials: TEST_CREDENTIALS,
      region: 'eu-west-1',
      service: 'kms',
      sha256: NodeSha256,
      applyChecksum: false,
    });
    const signed = await smithy.sign(
      {
        method: 'POST',
        protocol: 'http:',
        hostname: '127.0.0.1',
        port: 8080,
        path: '/',
        query: {},
        headers: {
          host: '127.0.0.1:8080',
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'TrentService.Encrypt',
        },
        body,
      },
      { signingDate: date },
    );
    expect(ours.authorization).toBe(signed.headers.authorization);
    expect(ours['x-amz-date']).toBe(signed.headers['x-amz-date']);
  });

  it('changes the signature when one body byte changes', () => {
    const signer = new RequestSigner(TEST_CREDENTIALS, 'us-east-1');
    const a = signer.sign({ host: 'h:1', target: 'TrentService.Encrypt', body, date });
    const b = signer.sign({ host: 'h:1', target: 'TrentService.Encrypt', body: body + ' ', date });
    expect(a.authorization).not.toBe(b.authorization);
  });

  it('gives the same signature with the cached signing key as with a fresh signer', () => {
    const cached = new RequestSigner(TEST_CREDENTIALS, 'us-east-1');
    cached.sign({ host: 'h:1', target: 'TrentService.DescribeKey', body: '{}', date });
    const input = { host: 'h:1', target: 'TrentService.Encrypt', body, date };
    expect(cached.sign(input).authorization).toBe(
      new RequestSigner(TEST_CREDENTIALS, 'us-east-1').sign(input).authorization,
    );
  });
});

describe('a signed request sent to Trent with authentication enforced', () => {
  let h: AuthHarness;
  beforeAll(async () => {
    h = await startAuthHarness();
  });
  afterAll(async () => {
    await h.stop();
  });

  function send(secretAccessKey: string) {
    const url = new URL(h.url);
    const body = JSON.stringify({ Description: 'signed by the benchmark signer' });
    const credentials = { accessKeyId: h.adminCredentials.accessKeyId, secretAccessKey };
    const headers = new RequestSigner(credentials, 'us-east-1').sign({
      host: url.host,
      target: 'TrentService.CreateKey',
      body,
      date: new Date(),
    });
    return sendRaw({ host: url.hostname, port: Number(url.port) }, headers, body);
  }

  it('is accepted and answered when signed with a real access key', async () => {
    const answer = await send(h.adminCredentials.secretAccessKey);
    expect(answer.status).toBe(200);
    expect((answer.json.KeyMetadata as Record<string, unknown>).Description).toBe(
      'signed by the benchmark signer',
    );
  });

  it('is refused when signed with the wrong secret', async () => {
    const secret = h.adminCredentials.secretAccessKey;
    const answer = await send(`${secret.slice(0, -1)}${secret.endsWith('x') ? 'y' : 'x'}`);
    expect(answer.status).toBe(400);
    expect(answer.json.__type).toBe('InvalidSignatureException');
  });
});
