// Waits after a load run until the server has finished the work the run left behind, and measures
// that work. With requests spread over many keys, Trent writes each key's last use later (every
// second while at most 1,000 keys wait, else all of them once the oldest has waited 10 checks of
// 1 s: src/keys/usage-schedule.ts); without the wait that work lands in the next run, Trent's or the
// baseline's.
import {
  FEW_KEYS_WAITING,
  MAX_CHECKS_WAITING,
  USAGE_CHECK_INTERVAL_MS,
} from '../src/keys/usage-schedule.js';
import { processTree, treeCpuSeconds } from './proc-stats.js';

/** The server's usage timer's period, in seconds. */
const CHECK_SECONDS = USAGE_CHECK_INTERVAL_MS / 1000;

/** How often the server's CPU time is read while waiting. */
export const SETTLE_POLL_MS = 250;
/**
 * The span over which idleness is judged: every second of the quiet window must be idle, not only
 * the window on average, or one write of the last uses (tens to hundreds of ms of CPU) would vanish
 * into a long window's mean.
 */
export const IDLE_SPAN_SECONDS = 1;
/**
 * At most this much CPU (in cores, summed over the server's processes) in each span counts as idle.
 * /proc counts CPU in 10 ms ticks: one tick in a second passes (an idle server's timers show one now
 * and then), two do not. Measured on the bench machine, a write of 20,000 last uses by one process
 * took about 50 ms of CPU spread over more than a second, so 5% of a core would have missed it.
 */
export const IDLE_CORES = 0.015;
/**
 * How long the server must stay idle once more than FEW_KEYS keys are in the store. Longer than the
 * longest a noted last use can then wait (10 checks of 1 s, and those writes come all at once, not a
 * little at every check), with 2 s for a late timer: a shorter window could end before the write it
 * waits for.
 */
export const QUIET_WINDOW_SECONDS = MAX_CHECKS_WAITING * CHECK_SECONDS + 2;
/** While at most this many keys wait (src/keys/usage-schedule.ts), uses are written at every check. */
export const FEW_KEYS = FEW_KEYS_WAITING;
/**
 * How long the server must stay idle when the store holds at most FEW_KEYS keys, so that every use is
 * written at the next check: longer than the 1 s between checks, with room for a late timer.
 */
export const FEW_KEYS_QUIET_WINDOW_SECONDS = CHECK_SECONDS + 1.5;
/** The wait gives up after this long; the result then says the server did not settle. */
export const SETTLE_MAX_SECONDS = 30;

export interface CpuSample {
  /** Seconds since the end of the load. */
  readonly seconds: number;
  /** The server's CPU time (all its processes), in seconds. */
  readonly cpuSeconds: number;
}

export interface QuietRule {
  readonly windowSeconds: number;
  readonly spanSeconds: number;
  readonly idleCores: number;
}

/** The whole rule of the wait, as the results record it. */
export interface SettleRule extends QuietRule {
  readonly maxSeconds: number;
}

/** The wait after a run on a store of `storeKeys` keys: a long window only where writes can wait. */
export function settleRuleFor(storeKeys: number): SettleRule {
  return {
    windowSeconds: storeKeys <= FEW_KEYS ? FEW_KEYS_QUIET_WINDOW_SECONDS : QUIET_WINDOW_SECONDS,
    spanSeconds: IDLE_SPAN_SECONDS,
    idleCores: IDLE_CORES,
    maxSeconds: SETTLE_MAX_SECONDS,
  };
}

/**
 * Whether the server was idle from sample `from` to the last: in the span ending at each later
 * sample (cut at `from`), it used less CPU than `idleCores` allows for a whole span.
 */
function idleFrom(samples: readonly CpuSample[], from: number, rule: QuietRule): boolean {
  const allowed = rule.idleCores * rule.spanSeconds;
  let spanStart = from;
  for (let i = from + 1; i < samples.length; i++) {
    const end = samples[i]!;
    while (spanStart + 1 < i && end.seconds - samples[spanStart + 1]!.seconds >= rule.spanSeconds)
      spanStart++;
    if (end.cpuSeconds - samples[spanStart]!.cpuSeconds >= allowed) return false;
  }
  return true;
}

/**
 * The index of the sample where the trailing quiet window starts (as early as the server was idle
 * without a break up to the last sample), or undefined while that idle stretch is shorter than the
 * window. Samples are in time order.
 */
export function quietWindowStart(
  samples: readonly CpuSample[],
  rule: QuietRule,
): number | undefined {
  const last = samples.length - 1;
  if (last < 1) return undefined;
  let start = last;
  while (start > 0 && idleFrom(samples, start - 1, rule)) start--;
  return samples[last]!.seconds - samples[start]!.seconds >= rule.windowSeconds ? start : undefined;
}

export interface SettleResult {
  /** From the end of the load until the wait ended (quiet window included). */
  readonly seconds: number;
  /** From the end of the load until the quiet window began (all of the wait when not settled). */
  readonly busySeconds: number;
  /** The server's CPU time over busySeconds: the work the run left behind. */
  readonly deferredCpuSeconds: number;
  /**
   * The server's CPU time over the whole wait: also what it did while counted as idle (an idle
   * server's timers, small writes under the threshold).
   */
  readonly waitCpuSeconds: number;
  /** false when the wait gave up at SETTLE_MAX_SECONDS with the server still busy. */
  readonly settled: boolean;
}

/** What the samples say once the wait ends: settled at `start`, or given up (start undefined). */
export function settleResult(
  samples: readonly CpuSample[],
  start: number | undefined,
): SettleResult {
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (first === undefined || last === undefined) throw new Error('settling needs samples');
  const busyEnd = start === undefined ? last : samples[start]!;
  return {
    seconds: last.seconds - first.seconds,
    busySeconds: busyEnd.seconds - first.seconds,
    deferredCpuSeconds: busyEnd.cpuSeconds - first.cpuSeconds,
    waitCpuSeconds: last.cpuSeconds - first.cpuSeconds,
    settled: start !== undefined,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Reads the CPU time of the server's process tree every SETTLE_POLL_MS until it has been idle for
 * the rule's window or its maximum has passed. Call it as soon as the load ends.
 */
export async function settleServer(pid: number, rule: SettleRule): Promise<SettleResult> {
  const pids = processTree(pid);
  const began = performance.now();
  const sample = (): CpuSample => ({
    seconds: (performance.now() - began) / 1000,
    cpuSeconds: treeCpuSeconds(pids),
  });
  const samples = [sample()];
  for (;;) {
    await sleep(SETTLE_POLL_MS);
    samples.push(sample());
    const start = quietWindowStart(samples, rule);
    if (start !== undefined) return settleResult(samples, start);
    if (samples[samples.length - 1]!.seconds >= rule.maxSeconds)
      return settleResult(samples, undefined);
  }
}
