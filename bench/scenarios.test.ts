import { describe, expect, it } from 'vitest';
import { FULL_PLAN, MAX_KEYS } from './options.js';
import {
  CREATE_KEY_RUN_SECONDS,
  createKey,
  MIXED_SHARES,
  sampleEvenly,
  shuffled,
  smallStoreScenarios,
  type SetupApi,
} from './scenarios.js';

function fakeApi(keyIds: string[]): SetupApi & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    keyIds,
    ciphertextSample: keyIds.length,
    call(operation) {
      calls.push(operation);
      return Promise.resolve({ CiphertextBlob: `blob-${String(calls.length)}` });
    },
  };
}

describe('shuffled', () => {
  it('is a permutation that is the same for the same seed', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const a = shuffled(items, 7);
    expect([...a].sort((x, y) => x - y)).toEqual(items);
    expect(shuffled(items, 7)).toEqual(a);
    expect(shuffled(items, 8)).not.toEqual(a);
  });
});

describe('sampleEvenly', () => {
  it('spreads picks over the whole list', () => {
    expect(sampleEvenly([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 5)).toEqual([0, 2, 4, 6, 8]);
    expect(sampleEvenly([1, 2], 5)).toEqual([1, 2]);
  });
});

describe('the mixed workload', () => {
  it('sends 35% GenerateDataKey, 35% Decrypt, 20% Encrypt and 10% DescribeKey', async () => {
    const mixed = smallStoreScenarios.find((s) => s.id === 'mixed')!;
    const pool = await mixed.prepare(
      fakeApi(Array.from({ length: 250 }, (_, i) => `key-${String(i)}`)),
    );
    const count = (op: string) => pool.filter((r) => r.operation === op).length;
    expect(pool.length % 100).toBe(0);
    const blocks = pool.length / 100;
    expect(count('GenerateDataKey')).toBe(MIXED_SHARES.generateDataKey * blocks);
    expect(count('Decrypt')).toBe(MIXED_SHARES.decrypt * blocks);
    expect(count('Encrypt')).toBe(MIXED_SHARES.encrypt * blocks);
    expect(count('DescribeKey')).toBe(MIXED_SHARES.describeKey * blocks);
  });
});

describe('the Encrypt scenario', () => {
  it('sends 1 KiB with an encryption context to every key', async () => {
    const encrypt = smallStoreScenarios.find((s) => s.id === 'encrypt')!;
    const pool = await encrypt.prepare(fakeApi(['k1', 'k2']));
    expect(pool.map((r) => (JSON.parse(r.body) as { KeyId: string }).KeyId)).toEqual(['k1', 'k2']);
    const body = JSON.parse(pool[0]!.body) as { Plaintext: string; EncryptionContext: object };
    expect(Buffer.from(body.Plaintext, 'base64')).toHaveLength(1024);
    expect(Object.keys(body.EncryptionContext).length).toBeGreaterThan(0);
  });
});

describe('CreateKey runs', () => {
  it('stay short enough that all of them at 3,500 keys/s keep under the per-account key quota', () => {
    expect(createKey.maxRunSeconds).toBe(CREATE_KEY_RUN_SECONDS);
    const seconds = Math.min(FULL_PLAN.durationSeconds, CREATE_KEY_RUN_SECONDS);
    const warmup = Math.min(FULL_PLAN.warmupSeconds, CREATE_KEY_RUN_SECONDS);
    // Two worker counts, each connection count: a warm-up and the rounds.
    const runSeconds = 2 * FULL_PLAN.connections.length * (warmup + FULL_PLAN.rounds * seconds);
    expect(runSeconds * 3500).toBeLessThan(MAX_KEYS);
  });
});
