// KeyMetadata as AWS returns it from CreateKey and DescribeKey (REFERENCE.md §17).
import { algorithmsFor, keySpecs } from '../../crypto/key-specs.js';
import type { KmsKey } from '../../keys/keyring.js';
import { epochSeconds, type WireObject } from '../services.js';

export function keyMetadata(key: KmsKey): WireObject {
  const r = key.row;
  const algorithms = algorithmsFor(r.keySpec, r.keyUsage);
  const out: WireObject = {
    AWSAccountId: r.accountId,
    KeyId: r.keyId,
    Arn: key.arn,
    CreationDate: epochSeconds(r.createdAt),
    Enabled: r.state === 'Enabled',
    Description: r.description,
    KeyUsage: r.keyUsage,
    KeyState: r.state,
    Origin: r.origin,
    KeyManager: 'CUSTOMER',
    KeySpec: r.keySpec,
    MultiRegion: false,
  };
  if (keySpecs.get(r.keySpec)?.inCustomerMasterKeySpec === true)
    out.CustomerMasterKeySpec = r.keySpec;
  if (r.state === 'PendingDeletion' && r.deletionDate !== null)
    out.DeletionDate = epochSeconds(r.deletionDate);
  if (algorithms.encryption) out.EncryptionAlgorithms = algorithms.encryption;
  if (algorithms.signing) out.SigningAlgorithms = algorithms.signing;
  if (algorithms.mac) out.MacAlgorithms = algorithms.mac;
  if (algorithms.keyAgreement) out.KeyAgreementAlgorithms = algorithms.keyAgreement;
  if (algorithms.encapsulation) out.EncapsulationAlgorithms = algorithms.encapsulation;
  if (r.keySpec === 'SYMMETRIC_DEFAULT' && key.materials.length > 0) {
    const current = key.materials.find((m) => m.version === r.currentVersion);
    if (current) out.CurrentKeyMaterialId = current.keyMaterialId;
  }
  return out;
}
