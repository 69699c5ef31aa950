import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AuditEvent, AuditJson } from './audit-event.js';
import { auditEventId, EVENT_VERSION } from './audit-event.js';
import { auditEntryOf, canonicalJson, chainEntry, chainRow, GENESIS_HASH } from './hash-chain.js';
import { seededRandom } from '../../test/fakes/seeded-random.js';

// The canonical text as it was first defined; every chain written so far was hashed over it.
function referenceCanonicalJson(value: AuditJson | AuditEvent): string {
  return JSON.stringify(referenceSortDeep(value as AuditJson));
}

function referenceSortDeep(value: AuditJson): AuditJson {
  if (Array.isArray(value)) return (value as readonly AuditJson[]).map(referenceSortDeep);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, AuditJson> = Object.create(null) as Record<string, AuditJson>;
    const obj = value as { readonly [member: string]: AuditJson };
    for (const k of Object.keys(obj).sort()) {
      const v = obj[k];
      if (v !== undefined) out[k] = referenceSortDeep(v);
    }
    return out;
  }
  return value;
}

// Names that sort differently as code units, as numbers or as both, and strings JSON must escape.
const NAMES = [
  'keyId',
  'KeyId',
  'ARN',
  'accountId',
  'a',
  'b',
  'B',
  '_',
  '',
  ' ',
  '0',
  '1',
  '2',
  '9',
  '10',
  '01',
  '-1',
  '1.5',
  '1e3',
  '007',
  '4294967294',
  '4294967295',
  '99999999999',
  '__proto__',
  'constructor',
  'toString',
  'é',
  'z\u00e9',
  '\u{1f511}',
  '\uffff',
  '\ud800',
  'quote"',
  'back\\slash',
  'new\nline',
  'tab\t',
  '\u0000',
  '\u001f',
  '\u2028',
  'aws:SourceArn',
  'kms:EncryptionContext:tenant',
];
const STRINGS = [
  ...NAMES,
  'x'.repeat(300),
  'arn:aws:kms:us-east-1:111122223333:key/1234',
  '\udc00z',
];
const NUMBERS = [0, -0, 1, -1, 7, 42, 0.1, -2.5, 1e21, 1e-7, 123456789012, Number.MAX_SAFE_INTEGER];

function randomJson(next: () => number, depth: number): AuditJson {
  const pick = <T>(from: readonly T[]): T => from[Math.floor(next() * from.length)] as T;
  const r = next();
  if (depth <= 0 || r < 0.45) {
    const s = next();
    if (s < 0.5) return pick(STRINGS);
    if (s < 0.75) return pick(NUMBERS);
    if (s < 0.9) return next() < 0.5;
    return null;
  }
  if (r < 0.65) {
    const items: AuditJson[] = [];
    const length = Math.floor(next() * 5);
    for (let i = 0; i < length; i++) items.push(randomJson(next, depth - 1));
    return items;
  }
  // Objects with and without a prototype, members inserted in random order, some undefined.
  const obj: Record<string, AuditJson | undefined> =
    next() < 0.5 ? (Object.create(null) as Record<string, AuditJson>) : {};
  const size = Math.floor(next() * 8);
  for (let i = 0; i < size; i++) {
    const name = pick(NAMES);
    obj[name] = next() < 0.1 ? undefined : randomJson(next, depth - 1);
  }
  return obj as AuditJson;
}

function sampleEvent(overrides: Partial<AuditEvent> = {}): AuditEvent {
  const requestId = '6f0d1a36-6a6b-4b8e-9c1a-0d6d2b1c5e71';
  return {
    eventVersion: EVENT_VERSION,
    eventTime: '2026-11-29T20:00:00.000Z',
    eventSource: 'kms.amazonaws.com',
    eventName: 'Encrypt',
    awsRegion: 'us-east-1',
    sourceIPAddress: '127.0.0.1',
    userAgent: 'aws-sdk-js/3 ua/2.1 "quoted" \\ back',
    requestID: requestId,
    eventID: auditEventId(requestId),
    eventType: 'AwsApiCall',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLE',
      arn: 'arn:aws:iam::111122223333:user/alice',
      accountId: '111122223333',
      accessKeyId: 'AKIAEXAMPLE',
    },
    requestParameters: {
      keyId: 'alias/app',
      encryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      encryptionContext: { tenant: 'tenant-0001', purpose: 'benchmark', '10': 'x', '9': 'y' },
    },
    responseElements: null,
    errorCode: null,
    errorMessage: null,
    resources: [
      {
        ARN: 'arn:aws:kms:us-east-1:111122223333:key/1234',
        type: 'AWS::KMS::Key',
        accountId: '111122223333',
      },
    ],
    readOnly: false,
    managementEvent: true,
    eventCategory: 'Management',
    recipientAccountId: '111122223333',
    ...overrides,
  };
}

describe('canonicalJson', () => {
  it('writes an audit event exactly as the reference definition does', () => {
    const events = [
      sampleEvent(),
      sampleEvent({ errorCode: 'NotFoundException', errorMessage: "Key 'x' does not exist" }),
      sampleEvent({ requestParameters: null, resources: [], userAgent: null }),
      sampleEvent({
        eventName: 'CreateKey',
        responseElements: {
          keyMetadata: {
            keyId: '1234',
            enabled: true,
            creationDate: 1764446400.123,
            encryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
            multiRegion: false,
          },
        },
      }),
    ];
    for (const event of events) expect(canonicalJson(event)).toBe(referenceCanonicalJson(event));
  });

  it('puts array-index names first in numeric order, then the rest in code unit order', () => {
    const value = { b: 1, '10': 2, a: 3, '9': 4, '01': 5, '4294967295': 6, '4294967294': 7, B: 8 };
    expect(canonicalJson(value)).toBe(
      '{"9":4,"10":2,"4294967294":7,"01":5,"4294967295":6,"B":8,"a":3,"b":1}',
    );
    expect(canonicalJson(value)).toBe(referenceCanonicalJson(value));
  });

  it('agrees with the reference definition on 20,000 random JSON values', () => {
    const next = seededRandom(4242);
    for (let i = 0; i < 20_000; i++) {
      const value = randomJson(next, 4);
      const expected = referenceCanonicalJson(value);
      if (canonicalJson(value) !== expected) expect.fail(`disagrees on ${expected}`);
    }
  });

  it('gives back the same text for its own text parsed again, as chain verification needs', () => {
    const next = seededRandom(7);
    for (let i = 0; i < 2_000; i++) {
      const text = canonicalJson(randomJson(next, 4));
      expect(canonicalJson(JSON.parse(text) as AuditJson)).toBe(text);
    }
    const eventText = canonicalJson(sampleEvent());
    expect(canonicalJson(JSON.parse(eventText) as AuditEvent)).toBe(eventText);
  });

  it('writes undefined members, holes and non-finite numbers as the reference does', () => {
    // eslint-disable-next-line no-sparse-arrays
    const values = [{ a: undefined, b: [undefined, , 1] }, [Number.NaN, Infinity], -0, 'é\u2028'];
    for (const value of values) {
      const json = value as unknown as AuditJson;
      expect(canonicalJson(json)).toBe(referenceCanonicalJson(json));
    }
  });

  it('takes the reference path for values that are not plain JSON data', () => {
    class Thing {
      b = 1;
      a = 2;
    }
    const values = [
      { when: new Date(0), x: 1 },
      { bytes: Buffer.from('hi') },
      new Thing(),
      { nested: { toJSON: () => 'replaced' } },
      [() => 1, Symbol('s')],
      { fn: () => 1, keep: 'yes' },
      Object.assign([1, 2], { toJSON: () => 'array replaced' }),
      { big: 1n },
    ];
    for (const value of values) {
      const json = value as unknown as AuditJson;
      let expected: string | Error;
      try {
        expected = referenceCanonicalJson(json);
      } catch (err) {
        expected = err as Error;
      }
      if (expected instanceof Error) expect(() => canonicalJson(json)).toThrow(expected.message);
      else expect(canonicalJson(json)).toBe(expected);
    }
  });

  it('leaves the value it writes unchanged, members and their order', () => {
    const next = seededRandom(99);
    for (let i = 0; i < 2_000; i++) {
      const value = randomJson(next, 4);
      const before = JSON.stringify(value);
      canonicalJson(value);
      expect(JSON.stringify(value)).toBe(before);
    }
  });
});

describe('chainRow', () => {
  it('hashes an event over the reference text, as chains already written were hashed', () => {
    const row = chainRow(sampleEvent(), 1, GENESIS_HASH);
    const text = referenceCanonicalJson(sampleEvent());
    expect(row.event).toBe(text);
    expect(row.prevHash).toBe(GENESIS_HASH);
    expect(row.hash).toBe(
      createHash('sha256').update(`trent-audit-v1\n1\n${GENESIS_HASH}\n${text}`).digest('hex'),
    );
  });
});

describe('audit entries', () => {
  it('carry the row of the event but its position and hashes, and the request id', () => {
    const event = sampleEvent();
    const entry = auditEntryOf(event);
    expect(entry).toEqual({
      eventTime: Date.parse(event.eventTime),
      eventId: event.eventID,
      eventName: event.eventName,
      principalArn: event.userIdentity.arn,
      keyArns: event.resources.map((r) => r.ARN).join(' '),
      errorCode: event.errorCode,
      event: referenceCanonicalJson(event),
      requestId: event.requestID,
    });
    expect(chainEntry(entry, 7, 'ab'.repeat(32))).toEqual({
      eventTime: entry.eventTime,
      eventId: entry.eventId,
      eventName: entry.eventName,
      principalArn: entry.principalArn,
      keyArns: entry.keyArns,
      errorCode: entry.errorCode,
      event: entry.event,
      seq: 7,
      prevHash: 'ab'.repeat(32),
      hash: createHash('sha256')
        .update(`trent-audit-v1\n7\n${'ab'.repeat(32)}\n${entry.event}`)
        .digest('hex'),
    });
    expect(chainEntry(entry, 7, GENESIS_HASH)).toEqual(chainRow(event, 7, GENESIS_HASH));
  });

  it('join several key ARNs with spaces and none as an empty text', () => {
    const event = sampleEvent();
    const resource = event.resources[0]!;
    const two = { ...event, resources: [resource, { ...resource, ARN: `${resource.ARN}-2` }] };
    expect(auditEntryOf(two).keyArns).toBe(`${resource.ARN} ${resource.ARN}-2`);
    expect(auditEntryOf({ ...event, resources: [] }).keyArns).toBe('');
  });
});
