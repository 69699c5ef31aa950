// GenerateRandom: 1–1024 random bytes from the operating system's CSPRNG. Needs no key; the bytes are
// returned once and never kept.
import { randomFillSync } from 'node:crypto';
import {
  CustomKeyStoreNotFoundException,
  UnsupportedOperationException,
  ValidationException,
} from '../../errors.js';
import { defineOperation } from '../services.js';

interface GenerateRandomInput {
  NumberOfBytes?: number;
  CustomKeyStoreId?: string;
  Recipient?: unknown;
}

export const generateRandom = defineOperation<GenerateRandomInput>(
  'GenerateRandom',
  (input, { caller, services }) => {
    // Precondition: NumberOfBytes is required (the model marks it optional; the service has no default).
    if (input.NumberOfBytes === undefined) {
      throw new ValidationException(
        "1 validation error detected: Value null at 'numberOfBytes' failed to satisfy constraint: Member must not be null",
      );
    }
    services.authorizer.authorize({ caller, action: 'kms:GenerateRandom' });
    // Precondition: Trent has no custom key stores, so any CustomKeyStoreId names none.
    if (input.CustomKeyStoreId !== undefined) {
      throw new CustomKeyStoreNotFoundException(
        `Custom key store ${input.CustomKeyStoreId} does not exist.`,
      );
    }
    if (input.Recipient !== undefined) {
      throw new UnsupportedOperationException(
        'Recipient (Nitro Enclaves attestation) is not supported by this server.',
      );
    }
    const plaintext = Buffer.alloc(input.NumberOfBytes);
    try {
      randomFillSync(plaintext);
      return { Plaintext: plaintext.toString('base64') };
    } finally {
      plaintext.fill(0);
    }
  },
);
