// What Encapsulate and Decapsulate share: resolving an ENCAPSULATE_DECAPSULATE (ML-KEM) key.
import { loadedKey } from '../../keys/loaded-key.js';
import { resolveUsableKey } from '../../keys/resolve.js';
import type { KmsKey } from '../../keys/keyring.js';
import type { LoadedKey } from '../../crypto/key-material.js';
import type { OperationContext } from '../services.js';
import { endDryRun, requireUsage } from './common.js';

export interface EncapsulationInput {
  KeyId: string;
  EncapsulationAlgorithm: string;
  GrantTokens?: string[];
  DryRun?: boolean;
}

export function resolveKemKey(
  operation: 'Encapsulate' | 'Decapsulate',
  input: EncapsulationInput,
  { caller, services }: OperationContext,
  beforeDryRun: (key: KmsKey) => void = () => undefined,
): { key: KmsKey; level: number; loaded: Extract<LoadedKey, { kind: 'pq' }> } {
  const key = resolveUsableKey(services, {
    ref: input.KeyId,
    caller,
    action: `kms:${operation}`,
    rule: 'use',
    allowAlias: true,
    conditions: { 'kms:EncapsulationAlgorithm': input.EncapsulationAlgorithm },
    grantTokens: input.GrantTokens,
  });
  requireUsage(key, 'ENCAPSULATE_DECAPSULATE', operation);
  const level = Number(key.row.keySpec.slice('ML_KEM_'.length));
  beforeDryRun(key);
  endDryRun(input.DryRun);
  const loaded = loadedKey(services.keyring, key);
  if (loaded.kind !== 'pq') throw new Error('ML-KEM key without a seed');
  return { key, level, loaded };
}
