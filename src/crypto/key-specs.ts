// One row per KMS key spec: which usages it allows and which algorithms each usage offers
// (REFERENCE.md §7). The only place that knows which spec does what.

export type KeyUsage =
  | 'ENCRYPT_DECRYPT'
  | 'SIGN_VERIFY'
  | 'GENERATE_VERIFY_MAC'
  | 'KEY_AGREEMENT'
  | 'ENCAPSULATE_DECAPSULATE';

export interface UsageAlgorithms {
  readonly encryption?: readonly string[];
  readonly signing?: readonly string[];
  readonly mac?: readonly string[];
  readonly keyAgreement?: readonly string[];
  readonly encapsulation?: readonly string[];
}

export interface KeySpecRow {
  readonly keySpec: string;
  /** Usage → algorithms; the first usage is the default only for SYMMETRIC_DEFAULT. */
  readonly usages: Readonly<Partial<Record<KeyUsage, UsageAlgorithms>>>;
  /** Whether Trent can create keys of this spec yet. */
  readonly supported: boolean;
  /** Whether the deprecated CustomerMasterKeySpec enum has this value. */
  readonly inCustomerMasterKeySpec: boolean;
}

const rows: KeySpecRow[] = [
  {
    keySpec: 'SYMMETRIC_DEFAULT',
    usages: { ENCRYPT_DECRYPT: { encryption: ['SYMMETRIC_DEFAULT'] } },
    supported: true,
    inCustomerMasterKeySpec: true,
  },
];

export const keySpecs: ReadonlyMap<string, KeySpecRow> = new Map(rows.map((r) => [r.keySpec, r]));

export function algorithmsFor(keySpec: string, keyUsage: string): UsageAlgorithms {
  return keySpecs.get(keySpec)?.usages[keyUsage as KeyUsage] ?? {};
}
