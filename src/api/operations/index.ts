// The table from X-Amz-Target operation name to handler. Nothing else.
import type { Operation } from '../services.js';
import { createKey } from './create-key.js';
import { decrypt } from './decrypt.js';
import { describeKey } from './describe-key.js';
import { encrypt } from './encrypt.js';
import { generateDataKey } from './generate-data-key.js';
import { generateDataKeyWithoutPlaintext } from './generate-data-key-without-plaintext.js';
import { listKeys } from './list-keys.js';

const all: readonly Operation[] = [
  createKey,
  decrypt,
  describeKey,
  encrypt,
  generateDataKey,
  generateDataKeyWithoutPlaintext,
  listKeys,
];

export const operations: ReadonlyMap<string, Operation> = new Map(all.map((op) => [op.name, op]));
