import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntryOf } from '../audit/hash-chain.js';
import { KmsError, NotFoundException } from '../errors.js';
import type { KmsKey } from '../keys/keyring.js';
import { startInProcess, type InProcessTrent } from '../../test/fakes/in-process-trent.js';
import { seededRandom } from '../../test/fakes/seeded-random.js';
import { RequestAudit, type AuditedRequest } from './request-audit.js';
import type { Services, WireObject } from './services.js';
import { validateInput } from './validate.js';

const ROOT = 'arn:aws:iam::111122223333:root';
let t: InProcessTrent;
let keys: KmsKey[];

beforeAll(async () => {
  t = await startInProcess([{ effect: 'Allow', principal: '*', action: 'kms:*' }]);
  keys = [];
  for (let i = 0; i < 2; i++) {
    const created = await t.call(ROOT, 'CreateKey', { Description: `key ${String(i)}` });
    const keyId = (created.json.KeyMetadata as { KeyId: string }).KeyId;
    const key = t.services.keyring.get(keyId);
    if (!key) throw new Error('key not created');
    keys.push(key);
  }
});
afterAll(async () => {
  await t.close();
});

type Outcome = { output: WireObject } | { error: KmsError };

interface Case {
  readonly request: AuditedRequest;
  readonly services?: Partial<Services>;
  readonly operation: string;
  readonly caller?: 'root' | 'user';
  readonly input?: { readonly shape: string; readonly json: unknown };
  readonly unvalidated?: unknown;
  readonly keys: number;
  readonly outcome: Outcome;
}

/** Two audits of the same request, one finished as an event, one as an entry. */
function both(c: Case) {
  const services = { ...t.services, ...c.services };
  const make = () => {
    const audit = new RequestAudit(c.request, services);
    audit.nameOperation(c.operation);
    if (c.caller === 'root') audit.authenticated({ accountId: '111122223333', arn: ROOT });
    if (c.caller === 'user')
      audit.authenticated({
        accountId: '111122223333',
        arn: 'arn:aws:iam::111122223333:user/ada "the first"',
        accessKeyId: 'AKIAEXAMPLEEXAMPLE12',
        userId: 'AIDAEXAMPLE',
      });
    if (c.input) audit.validated(validateInput(c.input.shape, c.input.json));
    if (c.unvalidated !== undefined) audit.unvalidated(c.unvalidated);
    const ops = audit.servicesForOperation();
    for (const key of keys.slice(0, c.keys)) ops.noteResolvedKey?.(key);
    return audit;
  };
  const at = 1_795_996_128_862;
  return {
    entry: make().finishEntry(at, c.outcome),
    expected: auditEntryOf(make().finish(at, c.outcome)),
  };
}

const header = (extra: Record<string, string> = {}) => ({
  host: 'localhost',
  'x-amz-target': 'TrentService.Encrypt',
  ...extra,
});

describe('RequestAudit.finishEntry', () => {
  it('writes the same entry as the event made whole and canonicalised, for every kind of request', () => {
    const cases: Case[] = [
      {
        request: {
          id: 'r-1',
          headers: header({ 'user-agent': 'aws-sdk-js/3 "quoted" \u00e9\u{1F511}' }),
          ip: '127.0.0.1',
        },
        operation: 'Encrypt',
        caller: 'user',
        input: {
          shape: 'EncryptRequest',
          json: {
            KeyId: keys[0]?.row.keyId,
            Plaintext: Buffer.alloc(64, 1).toString('base64'),
            EncryptionContext: { 'quote"d': 'line\nbreak', ünï: '\u2028', b: 'a' },
          },
        },
        keys: 1,
        outcome: {
          output: {
            CiphertextBlob: Buffer.alloc(8),
            KeyId: keys[0]?.arn ?? '',
            EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
          },
        },
      },
      {
        request: { id: 'r-2', headers: header(), ip: '' },
        operation: 'DescribeKey',
        caller: 'root',
        input: { shape: 'DescribeKeyRequest', json: { KeyId: keys[1]?.row.keyId } },
        keys: 2,
        outcome: { output: { KeyMetadata: { KeyId: keys[1]?.row.keyId ?? '' } } },
      },
      {
        request: {
          id: 'r-3',
          headers: header({
            authorization:
              'AWS4-HMAC-SHA256 Credential=AKIAEXAMPLEEXAMPLE99/20261129/us-east-1/kms/aws4_request',
            'user-agent': 'x'.repeat(300),
          }),
          ip: '::1',
        },
        operation: 'Decrypt',
        unvalidated: { CiphertextBlob: 12, KeyId: 'k'.repeat(600), Extra: { a: [1, 'b'] } },
        keys: 0,
        outcome: { error: new NotFoundException('Key "x" \u0001 is not found.') },
      },
      {
        request: { id: 'r-4', headers: header(), ip: '10.0.0.1' },
        services: { region: 'eu-"west"-1' },
        operation: 'Nope',
        keys: 0,
        outcome: {
          error: new KmsError('UnknownOperationException', 'Unknown operation', { status: 400 }),
        },
      },
      {
        // Not a string: the general path decides.
        request: { id: 'r-5', headers: header(), ip: undefined as unknown as string },
        operation: 'Encrypt',
        caller: 'root',
        keys: 1,
        outcome: { output: { KeyId: keys[0]?.arn ?? '' } },
      },
    ];
    for (const c of cases) {
      const { entry, expected } = both(c);
      expect(entry).toEqual(expected);
    }
  });

  it('agrees with the general path on random user agents, messages and contexts', () => {
    const random = seededRandom(7);
    const alphabet = [
      'a',
      'Z',
      '"',
      '\\',
      '\n',
      '\u0000',
      '\u001f',
      'é',
      '\u2028',
      '\ud800',
      '\u{1F511}',
      ' ',
    ];
    const text = (n: number) =>
      Array.from({ length: n }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    for (let i = 0; i < 300; i++) {
      const { entry, expected } = both({
        request: {
          id: `r-${String(i)}`,
          headers: header({ 'user-agent': text(i % 40) }),
          ip: '127.0.0.1',
        },
        operation: 'GenerateDataKey',
        caller: i % 2 === 0 ? 'root' : 'user',
        input: {
          shape: 'GenerateDataKeyRequest',
          json: {
            KeyId: keys[0]?.row.keyId,
            KeySpec: 'AES_256',
            EncryptionContext: { [text(1 + (i % 5)) || 'k']: text(i % 9) },
          },
        },
        keys: i % 3,
        outcome:
          i % 4 === 0
            ? { error: new NotFoundException(text(i % 30)) }
            : { output: { KeyId: keys[0]?.arn ?? '', CiphertextBlob: Buffer.alloc(4) } },
      });
      expect(entry).toEqual(expected);
    }
  });
});
