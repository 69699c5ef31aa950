// Operations of the AWS KMS API that Trent does not offer yet: imported key material, custom key stores
// and multi-Region keys. They answer AWS-style errors, never "unknown operation", so clients can tell
// a missing feature from a typo. DescribeCustomKeyStores answers truthfully that there are none.
import { CustomKeyStoreNotFoundException, UnsupportedOperationException } from '../../errors.js';
import { defineOperation, type Operation } from '../services.js';
import { pageTail } from './common.js';

const FEATURE: Readonly<Record<string, string>> = {
  GetParametersForImport: 'Imported key material',
  ImportKeyMaterial: 'Imported key material',
  DeleteImportedKeyMaterial: 'Imported key material',
  ConnectCustomKeyStore: 'Custom key stores',
  CreateCustomKeyStore: 'Custom key stores',
  DeleteCustomKeyStore: 'Custom key stores',
  DisconnectCustomKeyStore: 'Custom key stores',
  UpdateCustomKeyStore: 'Custom key stores',
  ReplicateKey: 'Multi-Region keys',
  UpdatePrimaryRegion: 'Multi-Region keys',
};

export const unsupportedOperations: readonly Operation[] = Object.entries(FEATURE).map(
  ([name, feature]) =>
    defineOperation<unknown>(name, (_input, { caller, services }) => {
      services.authorizer.authorize({ caller, action: `kms:${name}` });
      throw new UnsupportedOperationException(
        `${feature} are not supported by this server (${name}).`,
      );
    }),
);

interface DescribeCustomKeyStoresInput {
  CustomKeyStoreId?: string;
  CustomKeyStoreName?: string;
}

export const describeCustomKeyStores = defineOperation<DescribeCustomKeyStoresInput>(
  'DescribeCustomKeyStores',
  (input, { caller, services }) => {
    services.authorizer.authorize({ caller, action: 'kms:DescribeCustomKeyStores' });
    // Precondition: a named custom key store must exist; this server has none.
    if (input.CustomKeyStoreId !== undefined || input.CustomKeyStoreName !== undefined) {
      throw new CustomKeyStoreNotFoundException('The specified custom key store does not exist.');
    }
    return { CustomKeyStores: [], ...pageTail(undefined) };
  },
);
