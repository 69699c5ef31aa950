// Compiled policies by document text, so each policy is parsed once however often it is evaluated.
// Bounded; never holds anything but compiled policies.
import type { CompiledPolicy } from './compiled-policy.js';
import { parsePolicy, type PolicyKind } from './parse-policy.js';

export class PolicyCache {
  readonly #entries = new Map<string, CompiledPolicy>();
  readonly #kind: PolicyKind;
  readonly #maxEntries: number;

  constructor(kind: PolicyKind, maxEntries = 10_000) {
    this.#kind = kind;
    this.#maxEntries = maxEntries;
  }

  /** The compiled policy for a document; parse errors propagate (the document was never valid). */
  get(text: string): CompiledPolicy {
    let compiled = this.#entries.get(text);
    if (compiled) return compiled;
    compiled = parsePolicy(text, this.#kind);
    // Precondition: the cache stays bounded; the oldest entry goes first.
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(text, compiled);
    return compiled;
  }

  get size(): number {
    return this.#entries.size;
  }
}
