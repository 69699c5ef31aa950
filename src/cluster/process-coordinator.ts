// A worker's side of cache coordination: changes take the cluster-wide lock from the primary, and
// changes made by other workers are applied here before their authors may answer.
import { isEmptyChange, serialise, type ChangeSet, type Coordinator } from './coordinator.js';
import { isPrimaryMessage, type PrimaryMessage, type WorkerMessage } from './messages.js';

/** The IPC channel to the primary. */
export interface PrimaryChannel {
  send(message: WorkerMessage): void;
  onMessage(listener: (message: PrimaryMessage) => void): void;
}

/** Applies another worker's changes to this process's caches. */
export type ChangeApplier = (changes: ChangeSet) => Promise<void>;

export class ProcessCoordinator implements Coordinator {
  readonly shared = true;
  readonly #channel: PrimaryChannel;
  readonly #local = new Map<string, Promise<unknown>>();
  readonly #waiting = new Map<number, () => void>();
  #nextId = 1;
  #applier: ChangeApplier | undefined;
  /** Changes received before the caches were loaded: applied once an applier is set. */
  #early: ChangeSet[] = [];
  #applying: Promise<void> = Promise.resolve();
  readonly #onFailure: (err: unknown) => void;
  #welcomed: (() => void) | undefined;

  /** `onFailure`: a change could not be applied, so this process's caches are stale. */
  constructor(channel: PrimaryChannel, onFailure: (err: unknown) => void) {
    this.#channel = channel;
    this.#onFailure = onFailure;
    channel.onMessage((message) => {
      if (!isPrimaryMessage(message)) return;
      if (message.trent === 'welcome') {
        this.#welcomed?.();
      } else if (message.trent === 'locked' || message.trent === 'unlocked') {
        const resolve = this.#waiting.get(message.id);
        this.#waiting.delete(message.id);
        // Changes the primary sent before this answer are applied before the lock holder runs.
        if (resolve) void this.#applying.then(resolve);
      } else if (message.trent === 'changes') {
        this.#receive(message.id, message.changes);
      }
    });
  }

  /** Joins the cluster: once this resolves, every change made anywhere reaches this process. Call it
   *  before loading the caches. */
  join(): Promise<void> {
    return new Promise((resolve) => {
      this.#welcomed = resolve;
      this.#channel.send({ trent: 'hello' });
    });
  }

  /** Sets what applies other workers' changes, first applying those that came before. */
  async setApplier(applier: ChangeApplier): Promise<void> {
    this.#applier = applier;
    const early = this.#early;
    this.#early = [];
    for (const changes of early) await applier(changes);
  }

  async exclusive<T>(scope: string, fn: () => Promise<T>, changes: () => ChangeSet): Promise<T> {
    // One lock request per scope at a time from this process; the primary orders the processes. The
    // wait for the other workers to apply the change is outside it, so the next change here can go on.
    const { outcome, applied } = await serialise(this.#local, scope, async () => {
      const id = this.#nextId++;
      await this.#ask({ trent: 'lock', id, scope }, id);
      const outcome = await settled(fn);
      return { outcome, applied: this.#ask({ trent: 'unlock', id, changes: changes() }, id) };
    });
    await applied;
    return unwrap(outcome);
  }

  async publish<T>(_scope: string, fn: () => Promise<T>, changes: () => ChangeSet): Promise<T> {
    // No lock at all: such changes may run side by side, so that the primary commits their writes
    // together.
    const outcome = await settled(fn);
    const id = this.#nextId++;
    await this.#ask({ trent: 'publish', id, changes: changes() }, id);
    return unwrap(outcome);
  }

  #ask(message: WorkerMessage, id: number): Promise<void> {
    return new Promise((resolve) => {
      this.#waiting.set(id, resolve);
      this.#channel.send(message);
    });
  }

  #receive(id: number, changes: ChangeSet): void {
    // Applied one after another, in the order the primary sent them.
    this.#applying = this.#applying.then(async () => {
      const applier = this.#applier;
      if (applier === undefined) {
        if (!isEmptyChange(changes)) this.#early.push(changes);
      } else {
        try {
          await applier(changes);
        } catch (err) {
          this.#onFailure(err);
          return;
        }
      }
      this.#channel.send({ trent: 'applied', id });
    });
  }
}

type Outcome<T> = { readonly value: T } | { readonly error: unknown };

/** Runs `fn` to its end, keeping a failure for later: the change is published either way. */
async function settled<T>(fn: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { value: await fn() };
  } catch (error) {
    return { error };
  }
}

function unwrap<T>(outcome: Outcome<T>): T {
  if ('error' in outcome) throw outcome.error;
  return outcome.value;
}
