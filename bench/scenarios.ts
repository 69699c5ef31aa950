// The benchmark scenarios: for each, the keys it needs and the request bodies it cycles through.
// Bodies are built once, before any measurement; nothing here runs inside a load run.
import { randomBytes } from 'node:crypto';

/** An unsigned request: the operation and its JSON body. */
export interface RequestTemplate {
  readonly operation: string;
  readonly body: string;
}

/** What a scenario may ask of the running server while it prepares. */
export interface SetupApi {
  call(operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Symmetric ENCRYPT_DECRYPT key ids the scenario should spread its requests over. */
  readonly keyIds: readonly string[];
  /** How many ciphertexts a Decrypt-style scenario may prepare (one Encrypt call each). */
  readonly ciphertextSample: number;
}

export interface Scenario {
  readonly id: string;
  readonly title: string;
  /** Required scenarios fail the run when they cannot be prepared; others are "not available". */
  readonly required: boolean;
  /** The longest a run (and its warm-up) of this scenario may last, whatever the plan says. */
  readonly maxRunSeconds?: number;
  prepare(api: SetupApi): Promise<RequestTemplate[]>;
}

export const ENCRYPTION_CONTEXT = { purpose: 'benchmark', tenant: 'tenant-0001' };
const PLAINTEXT_1KIB = randomBytes(1024).toString('base64');

function encryptBody(keyId: string): string {
  return JSON.stringify({
    KeyId: keyId,
    Plaintext: PLAINTEXT_1KIB,
    EncryptionContext: ENCRYPTION_CONTEXT,
  });
}

function generateDataKeyBody(keyId: string): string {
  return JSON.stringify({
    KeyId: keyId,
    KeySpec: 'AES_256',
    EncryptionContext: ENCRYPTION_CONTEXT,
  });
}

function describeKeyBody(keyId: string): string {
  return JSON.stringify({ KeyId: keyId });
}

/** Evenly spaced picks from `keyIds` (all of them when `count` is at least their number). */
export function sampleEvenly<T>(items: readonly T[], count: number): T[] {
  if (count >= items.length) return [...items];
  const step = items.length / count;
  return Array.from({ length: count }, (_, i) => items[Math.floor(i * step)] as T);
}

async function ciphertexts(
  api: SetupApi,
  kind: 'encrypt' | 'dataKey',
): Promise<{ keyId: string; blob: string }[]> {
  const keys = sampleEvenly(api.keyIds, api.ciphertextSample);
  const out: { keyId: string; blob: string }[] = [];
  for (let i = 0; i < keys.length; i += 32) {
    const batch = keys.slice(i, i + 32);
    const results = await Promise.all(
      batch.map((keyId) =>
        kind === 'encrypt'
          ? api.call('Encrypt', JSON.parse(encryptBody(keyId)) as Record<string, unknown>)
          : api.call('GenerateDataKeyWithoutPlaintext', {
              KeyId: keyId,
              KeySpec: 'AES_256',
              EncryptionContext: ENCRYPTION_CONTEXT,
            }),
      ),
    );
    results.forEach((r, j) => out.push({ keyId: batch[j]!, blob: String(r.CiphertextBlob) }));
  }
  return out;
}

function decryptBody(blob: string): string {
  return JSON.stringify({ CiphertextBlob: blob, EncryptionContext: ENCRYPTION_CONTEXT });
}

async function createKeyOf(api: SetupApi, keySpec: string, keyUsage: string): Promise<string> {
  const created = await api.call('CreateKey', {
    KeySpec: keySpec,
    KeyUsage: keyUsage,
    Description: `benchmark ${keySpec}`,
  });
  return String((created.KeyMetadata as Record<string, unknown>).KeyId);
}

function signScenario(keySpec: string, algorithm: string): Scenario {
  return {
    id: `sign-${keySpec.toLowerCase().replace(/_/g, '-')}`,
    title: `Sign ${keySpec}`,
    required: false,
    async prepare(api) {
      const keyId = await createKeyOf(api, keySpec, 'SIGN_VERIFY');
      const digest = randomBytes(32).toString('base64');
      const body = JSON.stringify({
        KeyId: keyId,
        Message: digest,
        MessageType: 'DIGEST',
        SigningAlgorithm: algorithm,
      });
      return [{ operation: 'Sign', body }];
    },
  };
}

/** A deterministic shuffle (mulberry32), so every run sends the same mixed sequence. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

export const MIXED_SHARES = { generateDataKey: 35, decrypt: 35, encrypt: 20, describeKey: 10 };

const encrypt: Scenario = {
  id: 'encrypt',
  title: 'Encrypt 1 KiB + context',
  required: true,
  prepare: (api) =>
    Promise.resolve(api.keyIds.map((k) => ({ operation: 'Encrypt', body: encryptBody(k) }))),
};

const decrypt: Scenario = {
  id: 'decrypt',
  title: 'Decrypt 1 KiB + context',
  required: true,
  async prepare(api) {
    const blobs = await ciphertexts(api, 'encrypt');
    return blobs.map((b) => ({ operation: 'Decrypt', body: decryptBody(b.blob) }));
  },
};

const generateDataKey: Scenario = {
  id: 'generate-data-key',
  title: 'GenerateDataKey AES_256 + context',
  required: true,
  prepare: (api) =>
    Promise.resolve(
      api.keyIds.map((k) => ({ operation: 'GenerateDataKey', body: generateDataKeyBody(k) })),
    ),
};

const reEncrypt: Scenario = {
  id: 're-encrypt',
  title: 'ReEncrypt to another key',
  required: false,
  async prepare(api) {
    const blobs = await ciphertexts(api, 'encrypt');
    const keys = api.keyIds;
    return blobs.map((b, i) => ({
      operation: 'ReEncrypt',
      body: JSON.stringify({
        CiphertextBlob: b.blob,
        SourceEncryptionContext: ENCRYPTION_CONTEXT,
        DestinationKeyId: keys[(i + 1) % keys.length],
        DestinationEncryptionContext: ENCRYPTION_CONTEXT,
      }),
    }));
  },
};

const generateMac: Scenario = {
  id: 'generate-mac',
  title: 'GenerateMac HMAC_256, 1 KiB',
  required: false,
  async prepare(api) {
    const keyId = await createKeyOf(api, 'HMAC_256', 'GENERATE_VERIFY_MAC');
    const body = JSON.stringify({
      KeyId: keyId,
      Message: PLAINTEXT_1KIB,
      MacAlgorithm: 'HMAC_SHA_256',
    });
    return [{ operation: 'GenerateMac', body }];
  },
};

const describeKey: Scenario = {
  id: 'describe-key',
  title: 'DescribeKey',
  required: true,
  prepare: (api) =>
    Promise.resolve(
      api.keyIds.map((k) => ({ operation: 'DescribeKey', body: describeKeyBody(k) })),
    ),
};

/**
 * Every key CreateKey makes stays in the one account, whose quota is 100,000 keys: at 5 s per run its
 * runs (two connection counts, warm-up and three rounds, at each of two worker counts) made about
 * 100,000 keys at 1,900 keys/s and met the quota. At 2 s they make about 40% of that.
 */
export const CREATE_KEY_RUN_SECONDS = 2;

export const createKey: Scenario = {
  id: 'create-key',
  title: 'CreateKey (durable)',
  required: true,
  maxRunSeconds: CREATE_KEY_RUN_SECONDS,
  prepare: () =>
    Promise.resolve([
      { operation: 'CreateKey', body: JSON.stringify({ Description: 'benchmark key' }) },
    ]),
};

const mixed: Scenario = {
  id: 'mixed',
  title: 'Mixed 35% GDK, 35% Decrypt, 20% Encrypt, 10% DescribeKey',
  required: true,
  async prepare(api) {
    const dataKeys = await ciphertexts(api, 'dataKey');
    const pool: RequestTemplate[] = [];
    const keys = api.keyIds;
    // Blocks of 100 requests in the stated shares, each block over the next keys in turn.
    const blocks = Math.max(1, Math.ceil(Math.max(keys.length, dataKeys.length) / 100));
    let k = 0;
    let d = 0;
    for (let block = 0; block < blocks; block++) {
      const part: RequestTemplate[] = [];
      for (let i = 0; i < MIXED_SHARES.generateDataKey; i++)
        part.push({
          operation: 'GenerateDataKey',
          body: generateDataKeyBody(keys[k++ % keys.length]!),
        });
      for (let i = 0; i < MIXED_SHARES.decrypt; i++)
        part.push({
          operation: 'Decrypt',
          body: decryptBody(dataKeys[d++ % dataKeys.length]!.blob),
        });
      for (let i = 0; i < MIXED_SHARES.encrypt; i++)
        part.push({ operation: 'Encrypt', body: encryptBody(keys[k++ % keys.length]!) });
      for (let i = 0; i < MIXED_SHARES.describeKey; i++)
        part.push({ operation: 'DescribeKey', body: describeKeyBody(keys[k++ % keys.length]!) });
      pool.push(...shuffled(part, block + 1));
    }
    return pool;
  },
};

/** Hot-path scenarios measured with a handful of keys, in report order. */
export const smallStoreScenarios: readonly Scenario[] = [
  encrypt,
  decrypt,
  generateDataKey,
  reEncrypt,
  signScenario('ECC_NIST_P256', 'ECDSA_SHA_256'),
  signScenario('RSA_2048', 'RSASSA_PSS_SHA_256'),
  signScenario('ECC_SECG_P256K1', 'ECDSA_SHA_256'),
  generateMac,
  describeKey,
  mixed,
];

/** Scenarios repeated with requests spread over every key of the large store. */
export const largeStoreScenarios: readonly Scenario[] = [
  encrypt,
  decrypt,
  generateDataKey,
  describeKey,
  mixed,
];
