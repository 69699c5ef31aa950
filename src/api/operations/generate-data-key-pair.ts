// GenerateDataKeyPair: a data key pair with its private key in plaintext and sealed under a symmetric key.
import { defineOperation } from '../services.js';
import { generateDataKeyPairFor, type DataKeyPairInput } from './data-key-pair.js';

export const generateDataKeyPair = defineOperation<DataKeyPairInput>(
  'GenerateDataKeyPair',
  (input, ctx) => generateDataKeyPairFor('GenerateDataKeyPair', input, ctx),
);
