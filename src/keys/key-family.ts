// The key type families AWS compares when an alias moves between keys (UpdateAlias): symmetric,
// HMAC or asymmetric. Derived from the key spec name alone.

export type KeyFamily = 'symmetric' | 'HMAC' | 'asymmetric';

export function keyFamily(keySpec: string): KeyFamily {
  if (keySpec === 'SYMMETRIC_DEFAULT') return 'symmetric';
  if (keySpec.startsWith('HMAC_')) return 'HMAC';
  return 'asymmetric';
}
