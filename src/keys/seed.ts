// Applies a seed file at start-up: creates the keys it lists (with their fixed key ids, optional fixed
// material, description, tags) and their aliases, idempotently. A key or alias that already exists is
// left as it is when it agrees with the file and is a SeedError when it conflicts; nothing is overwritten.
// It never logs or reports key material.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { KmsError } from '../errors.js';
import { keySpecs } from '../crypto/key-specs.js';
import type { KeyRow, TagRow } from '../store/store.js';
import type { Clock } from './clock.js';
import { defaultKeyPolicy } from './default-policy.js';
import type { Keyring, KmsKey } from './keyring.js';
import { MAX_ALIASES_PER_KEY } from './aliases.js';
import { checkPolicyDocument } from './policy-document.js';
import { SeedError, type SeedFile, type SeedKey } from './seed-file.js';
import { parseSeedMaterial, seedMaterialBytes, type SeedMaterial } from './seed-material.js';

export interface SeedDeps {
  readonly keyring: Keyring;
  readonly clock: Clock;
  readonly accountId: string;
  readonly region: string;
}

export interface SeedResult {
  readonly keysCreated: number;
  readonly aliasesCreated: number;
}

/**
 * A seeded key's material id is derived from its key id and material, so that two servers seeded from
 * the same file produce ciphertexts each other can decrypt. The HMAC does not reveal the material.
 */
function seededMaterialId(keyId: string, material: Buffer): string {
  return createHmac('sha256', material).update(`trent-seed-key-material-id:${keyId}`).digest('hex');
}

function fail(label: string, message: string): never {
  throw new SeedError(`seed ${label}: ${message}`);
}

/** Runs a check that throws a KmsError or Error and rethrows it as a SeedError naming the entry. */
function checked<T>(label: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof KmsError || err instanceof Error) fail(label, err.message);
    throw err;
  }
}

export function applySeed(deps: SeedDeps, seed: SeedFile): Promise<SeedResult> {
  return deps.keyring.exclusive(async () => {
    let keysCreated = 0;
    let aliasesCreated = 0;
    for (const [i, entry] of seed.keys.entries()) {
      const label = `keys[${String(i)}] (keyId ${entry.keyId})`;
      const accountId = entry.accountId ?? deps.accountId;
      const region = entry.region ?? deps.region;
      const keyUsage = checkSpec(label, entry);
      if (entry.policy !== undefined) {
        const policy = entry.policy;
        checked(label, () => {
          checkPolicyDocument(policy);
        });
      }
      const material =
        entry.material === undefined
          ? undefined
          : checked(label, () => parseSeedMaterial(entry.material ?? ''));
      let key = deps.keyring.get(entry.keyId);
      if (key) {
        checkExisting(
          deps.keyring,
          label,
          key,
          { ...entry, accountId, region, keyUsage },
          material,
        );
      } else {
        key = await createSeededKey(
          deps,
          label,
          { ...entry, accountId, region, keyUsage },
          material,
        );
        keysCreated++;
      }
      for (const aliasName of entry.aliases) {
        const existing = deps.keyring.alias(accountId, region, aliasName);
        if (existing) {
          if (existing.targetKeyId !== key.row.keyId)
            fail(label, `alias ${aliasName} already points to key ${existing.targetKeyId}`);
          continue;
        }
        const current = deps.keyring.get(key.row.keyId);
        if (current && current.aliases.size >= MAX_ALIASES_PER_KEY)
          fail(label, `the key already has ${String(MAX_ALIASES_PER_KEY)} aliases`);
        const now = deps.clock.now();
        await deps.keyring.putAlias({
          accountId,
          region,
          aliasName,
          targetKeyId: key.row.keyId,
          createdAt: now,
          updatedAt: now,
        });
        aliasesCreated++;
      }
    }
    return { keysCreated, aliasesCreated };
  });
}

type ResolvedEntry = SeedKey & { accountId: string; region: string; keyUsage: string };

function checkSpec(label: string, entry: SeedKey): string {
  const spec = keySpecs.get(entry.keySpec);
  if (!spec?.supported) fail(label, `keySpec ${entry.keySpec} is not supported by this server`);
  const keyUsage =
    entry.keyUsage ?? (entry.keySpec === 'SYMMETRIC_DEFAULT' ? 'ENCRYPT_DECRYPT' : undefined);
  if (keyUsage === undefined) fail(label, `keyUsage is required for keySpec ${entry.keySpec}`);
  if (!(keyUsage in spec.usages))
    fail(label, `keyUsage ${keyUsage} is not valid for keySpec ${entry.keySpec}`);
  return keyUsage;
}

function checkExisting(
  keyring: Keyring,
  label: string,
  key: KmsKey,
  entry: ResolvedEntry,
  material: SeedMaterial | undefined,
): void {
  const r = key.row;
  const conflicts: string[] = [];
  if (r.accountId !== entry.accountId) conflicts.push(`account ${r.accountId}`);
  if (r.region !== entry.region) conflicts.push(`region ${r.region}`);
  if (r.keySpec !== entry.keySpec) conflicts.push(`keySpec ${r.keySpec}`);
  if (r.keyUsage !== entry.keyUsage) conflicts.push(`keyUsage ${r.keyUsage}`);
  if (conflicts.length > 0)
    fail(label, `an existing key with this id differs from the file: ${conflicts.join(', ')}`);
  if (material === undefined) return;
  const wanted = checked(label, () => seedMaterialBytes(entry.keySpec, material));
  const original = key.materials[0];
  const stored = original ? keyring.materialBytes(key, original.version) : undefined;
  try {
    // Compared in constant time: this is key material.
    const same =
      stored !== undefined && stored.length === wanted.length && timingSafeEqual(stored, wanted);
    if (!same) fail(label, 'an existing key with this id has different key material');
  } finally {
    wanted.fill(0);
    stored?.fill(0);
  }
}

async function createSeededKey(
  deps: SeedDeps,
  label: string,
  entry: ResolvedEntry,
  material: SeedMaterial | undefined,
): Promise<KmsKey> {
  const now = deps.clock.now();
  const bytes = checked(label, () => seedMaterialBytes(entry.keySpec, material));
  let wrapped;
  try {
    wrapped = deps.keyring.newMaterial(
      entry.keyId,
      now,
      null,
      bytes,
      ...(material === undefined ? [] : [seededMaterialId(entry.keyId, bytes)]),
    );
  } finally {
    bytes.fill(0);
  }
  const row: KeyRow = {
    keyId: entry.keyId,
    accountId: entry.accountId,
    region: entry.region,
    createdAt: now,
    description: entry.description,
    keySpec: entry.keySpec,
    keyUsage: entry.keyUsage,
    origin: 'AWS_KMS',
    state: entry.enabled ? 'Enabled' : 'Disabled',
    policy: entry.policy ?? defaultKeyPolicy(deps.keyring.partition, entry.accountId),
    deletionDate: null,
    pendingWindowInDays: null,
    rotationEnabled: false,
    rotationPeriodInDays: null,
    nextRotationAt: null,
    currentVersion: wrapped.version,
    onDemandRotations: 0,
  };
  const tags: TagRow[] = Object.entries(entry.tags)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([tagKey, tagValue]) => ({ tagKey, tagValue }));
  return deps.keyring.createKey(row, wrapped, tags);
}
