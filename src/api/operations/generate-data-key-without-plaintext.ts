// GenerateDataKeyWithoutPlaintext: only the sealed copy of a new data key.
import { defineOperation } from '../services.js';
import { generateDataKeyFor, type DataKeyInput } from './data-key.js';

export const generateDataKeyWithoutPlaintext = defineOperation<DataKeyInput>(
  'GenerateDataKeyWithoutPlaintext',
  (input, ctx) => generateDataKeyFor('GenerateDataKeyWithoutPlaintext', input, ctx),
);
