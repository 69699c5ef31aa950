import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { auditMembers, isAuditedMember } from './audit-members.js';
import { operationInputs, shapes } from './model.generated.js';
import { validateInput } from './validate.js';
import { seededRandom } from '../../test/fakes/seeded-random.js';

describe('audit member allow-list', () => {
  it('keeps no member that the model declares a blob or sensitive, in any input structure', () => {
    const leaks: string[] = [];
    for (const [name, shape] of Object.entries(shapes)) {
      for (const [member, target] of Object.entries(shape.members ?? {})) {
        const t = shapes[target];
        if ((t?.type === 'blob' || t?.sensitive === true) && isAuditedMember(member))
          leaks.push(`${name}.${member}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it('keeps none of the secret-bearing response members', () => {
    for (const member of [
      'Plaintext',
      'CiphertextBlob',
      'PublicKey',
      'PrivateKeyPlaintext',
      'PrivateKeyCiphertextBlob',
      'Signature',
      'Mac',
      'SharedSecret',
      'SharedSecretCiphertextBlob',
      'CiphertextForRecipient',
      'ImportToken',
      'GrantToken',
      'GrantTokens',
      'KeyStorePassword',
    ])
      expect(isAuditedMember(member)).toBe(false);
  });

  it('leaves out a member it does not know', () => {
    expect(auditMembers({ KeyId: 'k', SomeNewBlob: 'c2VjcmV0' })).toEqual({ keyId: 'k' });
  });

  it('keeps key ids, algorithms, encryption context keys and values, in camelCase', () => {
    expect(
      auditMembers({
        KeyId: 'alias/app',
        Plaintext: Buffer.from('secret'),
        EncryptionContext: { Tenant: 'acme' },
        EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        GrantTokens: ['token'],
      }),
    ).toEqual({
      keyId: 'alias/app',
      encryptionContext: { Tenant: 'acme' },
      encryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    });
  });

  it('filters nested structures member by member', () => {
    expect(
      auditMembers({
        KeyMetadata: { KeyId: 'k', Arn: 'arn', Unknown: 'x' },
        Tags: [{ TagKey: 'a', TagValue: 'b' }],
        Recipient: { KeyEncryptionAlgorithm: 'RSAES_OAEP_SHA_256', AttestationDocument: 'ZG9j' },
      }),
    ).toEqual({
      keyMetadata: { keyId: 'k', arn: 'arn' },
      tags: [{ tagKey: 'a', tagValue: 'b' }],
      recipient: { keyEncryptionAlgorithm: 'RSAES_OAEP_SHA_256' },
    });
  });

  it('drops bytes even under an allowed name', () => {
    expect(auditMembers({ KeyId: Buffer.from('x'), Description: 'd' })).toEqual({
      description: 'd',
    });
  });

  it('records nothing for a structure with no allowed member', () => {
    expect(auditMembers({ Plaintext: 'eA==' })).toBeNull();
  });

  it('keeps a map key named __proto__ as an ordinary key', () => {
    const input = JSON.parse('{"EncryptionContext": {"__proto__": "x", "a": "b"}}') as unknown;
    expect(JSON.stringify(auditMembers(input))).toBe(
      '{"encryptionContext":{"__proto__":"x","a":"b"}}',
    );
  });

  it('lists members and map keys in sorted order, keeping every name and value', () => {
    const out = auditMembers({
      KeyId: 'k',
      EncryptionContext: { tenant: 't', purpose: 'p', Zeta: 'z' },
      Tags: [{ TagValue: 'v', TagKey: 'k' }],
      EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    });
    expect(JSON.stringify(out)).toBe(
      '{"encryptionAlgorithm":"SYMMETRIC_DEFAULT","encryptionContext":{"Zeta":"z","purpose":"p","tenant":"t"},"keyId":"k","tags":[{"tagKey":"k","tagValue":"v"}]}',
    );
  });

  it('keeps the last of two map keys that clipping makes equal, as before', () => {
    const long = 'k'.repeat(20);
    const out = auditMembers({ EncryptionContext: { [`${long}b`]: '1', [`${long}a`]: '2' } }, 10);
    expect(out).toEqual({ encryptionContext: { [`${'k'.repeat(10)}…`]: '2' } });
  });
});

// A value that satisfies each pattern of the model (and the lengths of the shapes that use it).
const PATTERN_SAMPLES: Readonly<Record<string, string>> = {
  '[0-9]{12}': '111122223333',
  '^[a-zA-Z0-9:/_-]+$': 'alias/app',
  '^[a-f0-9]+$': 'abc123',
  'cluster-[2-7a-zA-Z]{11,16}': 'cluster-234567abcdefg',
  '^arn:aws[a-z0-9-]*:[a-z0-9-]+:[a-z0-9-]*:[0-9]{12}:.+$':
    'arn:aws:kms:us-east-1:111122223333:key/k',
  '^[a-zA-Z0-9:/_\\s.-]+$': 'a name',
  '[\\u0020-\\u00FF]*': 'text',
  '[\\w]+': 'word',
  '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+': 'text',
  '^[\\w+=,.@:/-]+$': 'principal',
  '^([a-z]+-){2,3}\\d+$': 'us-east-1',
  '^([A-Za-z0-9\\-]+)\\.([A-Za-z0-9\\-]+)(\\.[A-Za-z0-9\\-]+)+$': 'kms.us-east-1.amazonaws.com',
  '^[a-zA-Z0-9-_.]+$': 'name',
  '^[A-Z2-7]+$': 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFGHIJKLMNOPQRSTUVWXYZ234567',
  '^[a-zA-Z0-9\\/+=]+$': 'c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0',
  '^https://[a-zA-Z0-9.-]+$': 'https://xks.example.com',
  '^(/[a-zA-Z0-9\\/_-]+/kms/xks/v\\d{1,2})$|^(/kms/xks/v\\d{1,2})$': '/kms/xks/v1',
  '^(com|eu)\\.amazonaws\\.vpce\\.([a-z]+-){2,3}\\d+\\.vpce-svc-[0-9a-z]+$':
    'com.amazonaws.vpce.us-east-1.vpce-svc-0123abcd',
};

/** A random JSON value that the shape accepts, its optional members present or not. */
function sampleOf(shapeName: string, next: () => number, depth = 0): unknown {
  const shape = shapes[shapeName];
  if (!shape) throw new Error(`unknown shape ${shapeName}`);
  const count = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  switch (shape.type) {
    case 'structure': {
      const out: Record<string, unknown> = {};
      for (const [member, memberShape] of Object.entries(shape.members ?? {})) {
        if (shape.required?.includes(member) || (depth < 3 && next() < 0.6))
          out[member] = sampleOf(memberShape, next, depth + 1);
        else if (next() < 0.1) out[member] = null;
      }
      if (next() < 0.2) out.SomeNewMember = 'x';
      return out;
    }
    case 'string': {
      if (shape.enum) return shape.enum[count(0, shape.enum.length - 1)];
      if (shape.pattern !== undefined) {
        // Stretched or cut to the shape's lengths (the patterns that need it repeat one class).
        const sample = PATTERN_SAMPLES[shape.pattern] ?? '';
        return sample.padEnd(shape.min ?? 0, sample.slice(-1)).slice(0, shape.max);
      }
      const length = count(shape.min ?? 0, Math.min(shape.max ?? 20, 20));
      return 'abcdefghijklmnopqrstuvwxyz'.slice(0, length);
    }
    case 'blob':
      return randomBytes(count(shape.min ?? 0, Math.min(shape.max ?? 80, 80))).toString('base64');
    case 'integer':
    case 'long':
      return count(shape.min ?? 0, Math.min(shape.max ?? 1000, 1000));
    case 'boolean':
      return next() < 0.5;
    case 'timestamp':
      return count(0, 2e9);
    case 'list': {
      const length = depth > 3 ? 0 : count(shape.min ?? 0, Math.min(shape.max ?? 3, 3));
      return Array.from({ length }, () => sampleOf(shape.member ?? '', next, depth + 1));
    }
    case 'map': {
      // Keys out of order, array-index-like keys (listed first) and keys named like prototype members.
      const keys = ['tenant', 'Zeta', '10', '9', '__proto__', 'constructor', 'a'];
      const pairs = keys.filter(() => next() < 0.5).sort(() => next() - 0.5);
      const entries = pairs.map(
        (k) =>
          `${JSON.stringify(k)}:${JSON.stringify(sampleOf(shape.value ?? '', next, depth + 1))}`,
      );
      return JSON.parse(`{${entries.join(',')}}`) as unknown;
    }
  }
}

/** A copy that auditMembers cannot tell was validated: plain objects all the way down, bytes as bytes. */
function unvalidatedCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unvalidatedCopy);
  if (typeof value !== 'object' || value === null || Buffer.isBuffer(value)) return value;
  const copy = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(value)) copy[k] = unvalidatedCopy(v);
  return copy;
}

describe('audit members of validated input', () => {
  it('are exactly what the member-by-member walk keeps, for every operation input', () => {
    const next = seededRandom(20270302);
    let kept = 0;
    for (let round = 0; round < 60; round++) {
      for (const shapeName of Object.values(operationInputs)) {
        if (shapeName === null) continue;
        const input = validateInput(shapeName, sampleOf(shapeName, next));
        const planned = auditMembers(input);
        const walked = auditMembers(unvalidatedCopy(input));
        expect([shapeName, JSON.stringify(planned)]).toEqual([shapeName, JSON.stringify(walked)]);
        expect(planned).toEqual(walked);
        if (planned !== null) kept++;
      }
    }
    expect(kept).toBeGreaterThan(1000);
  });

  it('cut long strings only when asked to, as for unvalidated input', () => {
    const input = validateInput('EncryptRequest', {
      KeyId: 'alias/a-rather-long-alias',
      Plaintext: 'aGk=',
      EncryptionContext: { tenant: 'a-rather-long-tenant' },
    });
    expect(auditMembers(input, 8)).toEqual({
      encryptionContext: { tenant: 'a-rather…' },
      keyId: 'alias/a-…',
    });
  });

  it('keep every map key, __proto__ included, in sorted order', () => {
    const input = validateInput(
      'EncryptRequest',
      JSON.parse(
        '{"KeyId":"k","Plaintext":"aGk=","EncryptionContext":{"tenant":"t","__proto__":"x","10":"a","9":"b"}}',
      ),
    );
    const out = auditMembers(input);
    expect(JSON.stringify(out)).toBe(
      '{"encryptionContext":{"9":"b","10":"a","__proto__":"x","tenant":"t"},"keyId":"k"}',
    );
    expect(Object.getPrototypeOf(out)).toBeNull();
    expect(Object.getPrototypeOf(out?.encryptionContext)).toBeNull();
  });

  it('are null when nothing is kept, and an empty structure when nested', () => {
    expect(auditMembers(validateInput('GenerateRandomRequest', {}))).toBeNull();
    expect(
      auditMembers(
        validateInput('DecryptRequest', {
          CiphertextBlob: 'aGk=',
          Recipient: { AttestationDocument: 'aGk=' },
        }),
      ),
    ).toEqual({ recipient: {} });
  });
});
