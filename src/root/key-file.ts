// The key-file root of trust: <data-dir>/root.key holds 32 random bytes, mode 0600, made on first start.
// A store that already holds keys never gets a fresh root key silently: that would orphan every key.
import { closeSync, openSync, readFileSync, statSync, writeSync, constants } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { rootKeyFromBytes, type RootKey } from './root-key.js';

export class RootKeyError extends Error {}

export function loadRootKeyFile(path: string, options: { mayCreate: boolean }): RootKey {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new RootKeyError(`cannot read root key ${path}: ${(err as Error).message}`);
    if (!options.mayCreate) {
      throw new RootKeyError(
        `root key ${path} is missing but the data directory already holds keys; restore it from backup`,
      );
    }
    bytes = randomBytes(32);
    const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    try {
      writeSync(fd, bytes);
    } finally {
      closeSync(fd);
    }
  }
  if (bytes.length !== 32)
    throw new RootKeyError(
      `root key ${path} must hold exactly 32 bytes, found ${String(bytes.length)}`,
    );
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0)
    throw new RootKeyError(
      `root key ${path} is readable by others (mode ${mode.toString(8)}); chmod 600 it`,
    );
  return rootKeyFromBytes(bytes);
}
