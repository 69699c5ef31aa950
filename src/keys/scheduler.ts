// The in-process scheduler: rotates keys whose automatic rotation is due and destroys keys whose
// deletion window has passed. It reads time only from the injected clock and changes keys only through
// the keyring, under its lock, re-checking each key there. It never shortens a deletion window.
import { DAY_MS, type Clock } from './clock.js';
import type { Keyring, KmsKey } from './keyring.js';
import { DEFAULT_ROTATION_PERIOD_IN_DAYS, isRotatable, rotateKeyMaterial } from './rotation.js';

export interface SchedulerDeps {
  readonly keyring: Keyring;
  readonly clock: Clock;
  /** Reports a failed run; the next run tries again. */
  readonly onError?: (err: unknown) => void;
  /** Told of each key the scheduler changed (for the audit trail), after the change is durable. */
  readonly onKeyChange?: (change: ScheduledKeyChange) => void;
}

export interface ScheduledKeyChange {
  /** CloudTrail's name for the service event. */
  readonly eventName: 'DeleteKey' | 'RotateKey';
  /** The key as it was just before the change. */
  readonly key: KmsKey;
  readonly at: number;
}

export interface SchedulerRun {
  /** Key ids rotated by this run. */
  readonly rotated: string[];
  /** Key ids destroyed by this run. */
  readonly deleted: string[];
}

export function isDeletionDue(key: KmsKey, now: number): boolean {
  return (
    key.row.state === 'PendingDeletion' &&
    key.row.deletionDate !== null &&
    key.row.deletionDate <= now
  );
}

/** Automatic rotation happens only for Enabled keys; a Disabled key that is overdue rotates once re-enabled. */
export function isRotationDue(key: KmsKey, now: number): boolean {
  return (
    key.row.state === 'Enabled' &&
    key.row.rotationEnabled &&
    key.row.nextRotationAt !== null &&
    key.row.nextRotationAt <= now &&
    isRotatable(key)
  );
}

export class Scheduler {
  readonly #deps: SchedulerDeps;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<SchedulerRun> | undefined;

  constructor(deps: SchedulerDeps) {
    this.#deps = deps;
  }

  /** Runs every due rotation and deletion as of now, after any run already in progress. */
  runDue(): Promise<SchedulerRun> {
    const now = this.#deps.clock.now();
    const previous = this.#running?.catch(() => undefined) ?? Promise.resolve();
    const run = previous.then(() => this.#run(now));
    this.#running = run;
    return run;
  }

  /** Runs every `intervalMs` until stop(). */
  start(intervalMs: number): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      this.runDue().catch((err: unknown) => this.#deps.onError?.(err));
    }, intervalMs);
    this.#timer.unref();
  }

  /** Stops the timer and waits for a run in progress. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running?.catch(() => undefined);
  }

  async #run(now: number): Promise<SchedulerRun> {
    const { keyring } = this.#deps;
    const run: SchedulerRun = { rotated: [], deleted: [] };
    const due = [...keyring.allKeys()]
      .filter((k) => isDeletionDue(k, now) || isRotationDue(k, now))
      .map((k) => k.row.keyId);
    for (const keyId of due) {
      // One key's failure is reported and does not hold up the others; the next run tries it again.
      try {
        await keyring.exclusive(() => this.#runKey(keyId, now, run));
      } catch (err) {
        this.#deps.onError?.(err);
      }
    }
    return run;
  }

  async #runKey(keyId: string, now: number, run: SchedulerRun): Promise<void> {
    const { keyring } = this.#deps;
    // The key may have changed (cancelled, disabled, destroyed) since it was picked.
    const key = keyring.get(keyId);
    if (!key) return;
    if (isDeletionDue(key, now)) {
      await keyring.destroyKey(keyId);
      run.deleted.push(keyId);
      this.#deps.onKeyChange?.({ eventName: 'DeleteKey', key, at: now });
    } else if (isRotationDue(key, now)) {
      const periodInDays = key.row.rotationPeriodInDays ?? DEFAULT_ROTATION_PERIOD_IN_DAYS;
      await rotateKeyMaterial(keyring, key, 'AUTOMATIC', now, {
        nextRotationAt: now + periodInDays * DAY_MS,
      });
      run.rotated.push(keyId);
      this.#deps.onKeyChange?.({ eventName: 'RotateKey', key, at: now });
    }
  }
}
