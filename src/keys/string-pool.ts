// One shared copy of the texts many keys repeat (account, region, key spec, state, the default policy):
// every row read from the store or built for a request brings its own copy of each. Bounded, so that
// texts of keys long gone cannot pile up; it holds nothing but what rows already carry in the clear.

/** Characters the pool holds before it starts over (the default policy is 269). */
const MAX_CHARS = 1 << 18;
/** Longer texts are not pooled: rarely shared, and a few would fill the pool. */
const MAX_LENGTH = 4096;

export class StringPool {
  readonly #texts = new Map<string, string>();
  #chars = 0;
  readonly #maxChars: number;

  constructor(maxChars = MAX_CHARS) {
    this.#maxChars = maxChars;
  }

  /** The pooled copy of `text`, pooling it if there is room. */
  share<T extends string>(text: T): T {
    const pooled = this.#texts.get(text);
    if (pooled !== undefined) return pooled as T;
    if (text.length > MAX_LENGTH) return text;
    // Precondition: the pool stays within its bound; when full it starts over (texts already shared
    // stay shared by the keys holding them).
    if (this.#chars + text.length > this.#maxChars) this.clear();
    this.#texts.set(text, text);
    this.#chars += text.length;
    return text;
  }

  /** Pooled strings and their characters. */
  get size(): { readonly texts: number; readonly chars: number } {
    return { texts: this.#texts.size, chars: this.#chars };
  }

  clear(): void {
    this.#texts.clear();
    this.#chars = 0;
  }
}
