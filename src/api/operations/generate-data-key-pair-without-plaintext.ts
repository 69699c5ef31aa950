// GenerateDataKeyPairWithoutPlaintext: a data key pair whose private key is returned only sealed.
import { defineOperation } from '../services.js';
import { generateDataKeyPairFor, type DataKeyPairInput } from './data-key-pair.js';

export const generateDataKeyPairWithoutPlaintext = defineOperation<DataKeyPairInput>(
  'GenerateDataKeyPairWithoutPlaintext',
  (input, ctx) => generateDataKeyPairFor('GenerateDataKeyPairWithoutPlaintext', input, ctx),
);
