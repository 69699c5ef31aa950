// ListKeyRotations: the key's material versions, oldest first. ROTATIONS_ONLY (default) lists the
// materials rotation created; ALL_KEY_MATERIAL adds the original material.
import { resolveUsableKey } from '../../keys/resolve.js';
import { requireRotatable } from '../../keys/rotation.js';
import type { Material } from '../../keys/keyring.js';
import { defineOperation, epochSeconds, type WireObject } from '../services.js';
import { page, pageTail } from './common.js';

interface ListKeyRotationsInput {
  KeyId: string;
  IncludeKeyMaterial?: 'ALL_KEY_MATERIAL' | 'ROTATIONS_ONLY';
  Limit?: number;
  Marker?: string;
}

interface Numbered {
  readonly position: string;
  readonly material: Material;
}

export const listKeyRotations = defineOperation<ListKeyRotationsInput>(
  'ListKeyRotations',
  (input, { caller, services }) => {
    const key = resolveUsableKey(services, {
      ref: input.KeyId,
      caller,
      action: 'kms:ListKeyRotations',
      rule: 'any',
      allowAlias: false,
    });
    requireRotatable(key);
    const all = input.IncludeKeyMaterial === 'ALL_KEY_MATERIAL';
    // Versions are only ever appended, so a position is a stable paging key.
    const listed: Numbered[] = key.materials
      .map((material, i) => ({ position: String(i).padStart(8, '0'), material }))
      .filter((n) => all || n.material.rotationType !== null);
    const result = page(listed, (n) => n.position, input.Limit ?? 100, input.Marker);
    return {
      Rotations: result.items.map(({ material }) => {
        const entry: WireObject = {
          KeyId: key.row.keyId,
          KeyMaterialId: material.keyMaterialId,
          KeyMaterialState: material.version === key.row.currentVersion ? 'CURRENT' : 'NON_CURRENT',
        };
        if (material.rotationType !== null) {
          entry.RotationDate = epochSeconds(material.createdAt);
          entry.RotationType = material.rotationType;
        }
        return entry;
      }),
      ...pageTail(result.nextMarker),
    };
  },
);
