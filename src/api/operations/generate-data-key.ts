// GenerateDataKey: a data key in plaintext and sealed under a symmetric KMS key.
import { defineOperation } from '../services.js';
import { generateDataKeyFor, type DataKeyInput } from './data-key.js';

export const generateDataKey = defineOperation<DataKeyInput>('GenerateDataKey', (input, ctx) =>
  generateDataKeyFor('GenerateDataKey', input, ctx),
);
