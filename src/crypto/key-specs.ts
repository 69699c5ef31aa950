// One row per KMS key spec: which usages it allows, which algorithms each usage offers, and the few
// facts the operations need (family, size, rotation, data key pairs). REFERENCE.md §7. The only place
// that knows which spec does what; never holds key material.

export type KeyUsage =
  | 'ENCRYPT_DECRYPT'
  | 'SIGN_VERIFY'
  | 'GENERATE_VERIFY_MAC'
  | 'KEY_AGREEMENT'
  | 'ENCAPSULATE_DECAPSULATE';

export type KeyFamily =
  'SYMMETRIC' | 'HMAC' | 'RSA' | 'ECC' | 'ED25519' | 'SM2' | 'ML_DSA' | 'ML_KEM';

export interface UsageAlgorithms {
  readonly encryption?: readonly string[];
  readonly signing?: readonly string[];
  readonly mac?: readonly string[];
  readonly keyAgreement?: readonly string[];
  readonly encapsulation?: readonly string[];
}

export interface KeySpecRow {
  readonly keySpec: string;
  readonly family: KeyFamily;
  /** Usage → algorithms. Only SYMMETRIC_DEFAULT has a default usage. */
  readonly usages: Readonly<Partial<Record<KeyUsage, UsageAlgorithms>>>;
  /** Whether Trent can create keys of this spec. */
  readonly supported: boolean;
  /** Whether the deprecated CustomerMasterKeySpec enum has this value. */
  readonly inCustomerMasterKeySpec: boolean;
  /** Whether automatic and on-demand rotation apply (symmetric encryption keys only, §12). */
  readonly canRotate: boolean;
  /** Whether GenerateDataKeyPair accepts it as KeyPairSpec. */
  readonly isDataKeyPairSpec: boolean;
  /** RSA modulus bits, Node curve name, HMAC key bytes or the post-quantum parameter set. */
  readonly size: number | string;
}

const RSA_ENCRYPTION = { encryption: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] } as const;
const RSA_SIGNING = {
  signing: [
    'RSASSA_PSS_SHA_256',
    'RSASSA_PSS_SHA_384',
    'RSASSA_PSS_SHA_512',
    'RSASSA_PKCS1_V1_5_SHA_256',
    'RSASSA_PKCS1_V1_5_SHA_384',
    'RSASSA_PKCS1_V1_5_SHA_512',
  ],
} as const;
const ECDH = { keyAgreement: ['ECDH'] } as const;

const base = { supported: true, canRotate: false, inCustomerMasterKeySpec: true };

function rsa(bits: number): KeySpecRow {
  const usages = { ENCRYPT_DECRYPT: RSA_ENCRYPTION, SIGN_VERIFY: RSA_SIGNING };
  return {
    ...base,
    keySpec: `RSA_${bits}`,
    family: 'RSA',
    usages,
    isDataKeyPairSpec: true,
    size: bits,
  };
}

function nist(keySpec: string, curve: string, ecdsa: string): KeySpecRow {
  const usages = { SIGN_VERIFY: { signing: [ecdsa] }, KEY_AGREEMENT: ECDH };
  return { ...base, keySpec, family: 'ECC', usages, isDataKeyPairSpec: true, size: curve };
}

function hmac(bits: number): KeySpecRow {
  const usages = { GENERATE_VERIFY_MAC: { mac: [`HMAC_SHA_${bits}`] } };
  return {
    ...base,
    keySpec: `HMAC_${bits}`,
    family: 'HMAC',
    usages,
    isDataKeyPairSpec: false,
    size: bits / 8,
  };
}

function mlDsa(level: number): KeySpecRow {
  const usages = { SIGN_VERIFY: { signing: ['ML_DSA_SHAKE_256'] } };
  const row = { keySpec: `ML_DSA_${level}`, family: 'ML_DSA', usages, size: level } as const;
  return { ...base, ...row, inCustomerMasterKeySpec: false, isDataKeyPairSpec: false };
}

function mlKem(level: number): KeySpecRow {
  const usages = { ENCAPSULATE_DECAPSULATE: { encapsulation: ['ML_KEM'] } };
  const row = { keySpec: `ML_KEM_${level}`, family: 'ML_KEM', usages, size: level } as const;
  return { ...base, ...row, inCustomerMasterKeySpec: false, isDataKeyPairSpec: true };
}

const rows: KeySpecRow[] = [
  {
    ...base,
    keySpec: 'SYMMETRIC_DEFAULT',
    family: 'SYMMETRIC',
    usages: { ENCRYPT_DECRYPT: { encryption: ['SYMMETRIC_DEFAULT'] } },
    canRotate: true,
    isDataKeyPairSpec: false,
    size: 32,
  },
  rsa(2048),
  rsa(3072),
  rsa(4096),
  nist('ECC_NIST_P256', 'prime256v1', 'ECDSA_SHA_256'),
  nist('ECC_NIST_P384', 'secp384r1', 'ECDSA_SHA_384'),
  nist('ECC_NIST_P521', 'secp521r1', 'ECDSA_SHA_512'),
  {
    ...base,
    keySpec: 'ECC_SECG_P256K1',
    family: 'ECC',
    usages: { SIGN_VERIFY: { signing: ['ECDSA_SHA_256'] } },
    isDataKeyPairSpec: true,
    size: 'secp256k1',
  },
  {
    ...base,
    keySpec: 'ECC_NIST_EDWARDS25519',
    family: 'ED25519',
    usages: { SIGN_VERIFY: { signing: ['ED25519_SHA_512', 'ED25519_PH_SHA_512'] } },
    inCustomerMasterKeySpec: false,
    isDataKeyPairSpec: true,
    size: 'ed25519',
  },
  {
    ...base,
    keySpec: 'SM2',
    family: 'SM2',
    usages: {
      ENCRYPT_DECRYPT: { encryption: ['SM2PKE'] },
      SIGN_VERIFY: { signing: ['SM2DSA'] },
      KEY_AGREEMENT: ECDH,
    },
    isDataKeyPairSpec: true,
    size: 'SM2',
  },
  hmac(224),
  hmac(256),
  hmac(384),
  hmac(512),
  mlDsa(44),
  mlDsa(65),
  mlDsa(87),
  mlKem(512),
  mlKem(768),
  mlKem(1024),
];

export const keySpecs: ReadonlyMap<string, KeySpecRow> = new Map(rows.map((r) => [r.keySpec, r]));

/** The row of a spec Trent knows; a plain Error for an unknown one (stored keys only have known specs). */
export function keySpecRow(keySpec: string): KeySpecRow {
  const row = keySpecs.get(keySpec);
  if (!row) throw new Error(`unknown key spec ${keySpec}`);
  return row;
}

export function algorithmsFor(keySpec: string, keyUsage: string): UsageAlgorithms {
  return keySpecs.get(keySpec)?.usages[keyUsage as KeyUsage] ?? {};
}
