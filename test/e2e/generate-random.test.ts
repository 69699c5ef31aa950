import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GenerateRandomCommand } from '@aws-sdk/client-kms';
import { rawRequest, startHarness, type Harness } from './harness.js';
import { expectAwsError } from './key-fixtures.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
});

describe('GenerateRandom', () => {
  it('returns exactly NumberOfBytes random bytes, from 1 to 1024', async () => {
    for (const n of [1, 32, 1024]) {
      const out = await h.kms.send(new GenerateRandomCommand({ NumberOfBytes: n }));
      expect(out.Plaintext).toHaveLength(n);
    }
    const a = await h.kms.send(new GenerateRandomCommand({ NumberOfBytes: 32 }));
    const b = await h.kms.send(new GenerateRandomCommand({ NumberOfBytes: 32 }));
    expect(Buffer.from(a.Plaintext!).equals(Buffer.from(b.Plaintext!))).toBe(false);
  });

  it('rejects 0 and 1025 bytes with ValidationException', async () => {
    for (const n of [0, 1025]) {
      await expectAwsError(
        h.kms.send(new GenerateRandomCommand({ NumberOfBytes: n })),
        'ValidationException',
      );
    }
  });

  it('requires NumberOfBytes', async () => {
    const res = await rawRequest(h.url, 'TrentService.GenerateRandom', '{}');
    expect(res.status).toBe(400);
    expect(res.json.__type).toBe('ValidationException');
  });

  it('answers CustomKeyStoreNotFoundException for any custom key store id', async () => {
    await expectAwsError(
      h.kms.send(
        new GenerateRandomCommand({ NumberOfBytes: 16, CustomKeyStoreId: 'cks-1234567890abcdef0' }),
      ),
      'CustomKeyStoreNotFoundException',
    );
  });
});
