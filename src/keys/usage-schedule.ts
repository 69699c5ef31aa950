// When a process writes the last uses it noted to the store: it checks once a second, writes at once
// while few keys wait, and lets many keys wait longer, up to a bound. It never decides what is noted:
// every use is in memory as soon as its request succeeds.
//
// Writing a key's last use rewrites the store page that holds it: a write of a few keys costs little,
// while thousands of keys spread over a large store dirty most pages at every write. Writing those
// less often, in larger batches, dirties each page once per batch (measured with 100,000 keys: about
// 40% less CPU per use at 10 s than at 1 s; docs/benchmarks.md).

/** How often the process checks whether its noted uses are due (the usage timer's period). */
export const USAGE_CHECK_INTERVAL_MS = 1000;
/** Up to this many keys waiting, their uses are written at every check. */
export const FEW_KEYS_WAITING = 1000;
/** With more keys waiting, the oldest noted use waits at most this many checks before it is written. */
export const MAX_CHECKS_WAITING = 10;

/**
 * Whether the uses noted since the last write are due: `keysWaiting` keys have a use not yet
 * written, the oldest of them noted in the last `checksWaited` checks (1 at the first check after it).
 */
export function isUsageWriteDue(keysWaiting: number, checksWaited: number): boolean {
  if (keysWaiting === 0) return false;
  return keysWaiting <= FEW_KEYS_WAITING || checksWaited >= MAX_CHECKS_WAITING;
}
