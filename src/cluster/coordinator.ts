// Coordination of the in-memory caches (keyring, grants) between the processes that serve one store.
// A change runs under a lock named for what it changes; before the lock is released, every other
// process has applied the change to its cache, so a change acknowledged to a caller is seen by every
// process at once. One process alone needs only the lock.

/** What a change touched, for other processes to reload from the store. */
export interface ChangeSet {
  /** Keys whose metadata, material, tags or aliases changed (created and destroyed keys too). */
  readonly keys: readonly string[];
  /** Keys whose grants changed. */
  readonly grantKeys: readonly string[];
  /** Everything may have changed (a dev-mode reset): reload it all. */
  readonly everything: boolean;
}

export const NO_CHANGES: ChangeSet = { keys: [], grantKeys: [], everything: false };

export function isEmptyChange(changes: ChangeSet): boolean {
  return !changes.everything && changes.keys.length === 0 && changes.grantKeys.length === 0;
}

export interface Coordinator {
  /** Whether other processes serve the same store (and so change it behind this one's back). */
  readonly shared: boolean;
  /**
   * Runs `fn` holding the lock `scope` in every process; then reads `changes()` and, before the lock
   * is released and the returned promise settles, has every other process apply them.
   */
  exclusive<T>(scope: string, fn: () => Promise<T>, changes: () => ChangeSet): Promise<T>;
  /**
   * Runs `fn`, then, before the returned promise settles, has every other process apply `changes()`.
   * For changes nothing else can conflict with (a new key): one process alone runs them under its lock
   * `scope`; with several they run without any lock, side by side.
   */
  publish<T>(scope: string, fn: () => Promise<T>, changes: () => ChangeSet): Promise<T>;
}

/** A lock per scope for one process: changes are applied where they were made. */
export class LocalCoordinator implements Coordinator {
  readonly shared = false;
  readonly #locks = new Map<string, Promise<unknown>>();

  exclusive<T>(scope: string, fn: () => Promise<T>): Promise<T> {
    return serialise(this.#locks, scope, fn);
  }

  publish<T>(scope: string, fn: () => Promise<T>): Promise<T> {
    return serialise(this.#locks, scope, fn);
  }
}

/** Runs `fn` after every earlier call for the same scope has settled. */
export function serialise<T>(
  locks: Map<string, Promise<unknown>>,
  scope: string,
  fn: () => Promise<T>,
): Promise<T> {
  const previous = locks.get(scope) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  const tail = run.catch(() => undefined);
  locks.set(scope, tail);
  void tail.then(() => {
    if (locks.get(scope) === tail) locks.delete(scope);
  });
  return run;
}
