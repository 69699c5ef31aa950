// Short-lived secret bytes (data keys, decrypted plaintext): owned, zeroed on dispose, never printed.
import { inspect } from 'node:util';

export class SecretBytes {
  #bytes: Buffer;

  private constructor(bytes: Buffer) {
    this.#bytes = bytes;
  }

  /** Takes ownership of `bytes`; the caller must not keep using it. */
  static adopt(bytes: Buffer): SecretBytes {
    return new SecretBytes(bytes);
  }

  static alloc(size: number): SecretBytes {
    return new SecretBytes(Buffer.alloc(size));
  }

  get bytes(): Buffer {
    return this.#bytes;
  }

  get length(): number {
    return this.#bytes.length;
  }

  dispose(): void {
    this.#bytes.fill(0);
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  toString(): string {
    return '[redacted]';
  }

  toJSON(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return 'SecretBytes [redacted]';
  }
}
