import { describe, expect, it } from 'vitest';
import {
  quietWindowStart,
  settleRuleFor,
  settleResult,
  type CpuSample,
  type QuietRule,
} from './settle.js';

const rule: QuietRule = { windowSeconds: 3, spanSeconds: 1, idleCores: 0.05 };

/** Samples every 0.25 s; `cpuAt(t)` gives the server's CPU seconds at time t. */
function series(untilSeconds: number, cpuAt: (t: number) => number): CpuSample[] {
  const out: CpuSample[] = [];
  for (let i = 0; i * 0.25 <= untilSeconds; i++) {
    const seconds = i * 0.25;
    out.push({ seconds, cpuSeconds: cpuAt(seconds) });
  }
  return out;
}

/** A server busy at 1.5 cores until `busyUntil`, idle after it. */
const busyThenIdle = (busyUntil: number) => (t: number) => 1.5 * Math.min(t, busyUntil);

describe('quietWindowStart', () => {
  it('is undefined until the server has been idle for the whole window', () => {
    const cpuAt = busyThenIdle(1);
    expect(quietWindowStart(series(3.75, cpuAt), rule)).toBeUndefined();
    const samples = series(4, cpuAt);
    const start = quietWindowStart(samples, rule);
    expect(start).toBeDefined();
    expect(samples[start!]!.seconds).toBe(1);
  });

  it('is undefined with fewer than two samples', () => {
    expect(quietWindowStart([], rule)).toBeUndefined();
    expect(quietWindowStart([{ seconds: 0, cpuSeconds: 0 }], rule)).toBeUndefined();
  });

  it('starts the window after a late burst, such as a deferred write', () => {
    // Idle from the start, then 0.2 s of CPU between 2 and 2.25 s.
    const cpuAt = (t: number) => (t < 2.25 ? 0 : 0.2);
    expect(quietWindowStart(series(5, cpuAt), rule)).toBeUndefined();
    const samples = series(5.25, cpuAt);
    const start = quietWindowStart(samples, rule);
    expect(samples[start!]!.seconds).toBe(2.25);
  });

  it('does not let a burst vanish into a long window that is idle on average', () => {
    // 0.1 s of CPU at 4 s in a 12 s window: 0.008 cores on average, 0.1 in the second around it.
    const long: QuietRule = { ...rule, windowSeconds: 12 };
    const cpuAt = (t: number) => (t < 4.25 ? 0 : 0.1);
    expect(quietWindowStart(series(12, cpuAt), long)).toBeUndefined();
    const samples = series(16.25, cpuAt);
    expect(samples[quietWindowStart(samples, long)!]!.seconds).toBe(4.25);
  });

  it('counts a little CPU in every second as idle', () => {
    // 0.02 cores throughout, as an idle server's timers and stray clock ticks might show.
    const samples = series(3, (t) => 0.02 * t);
    expect(quietWindowStart(samples, rule)).toBe(0);
  });

  it('counts a stray clock tick or two as idle, though they come in one reading', () => {
    // /proc counts CPU in 10 ms ticks: 20 ms in one quarter second is 0.08 cores for that moment.
    const cpuAt = (t: number) => (t < 1 ? 0 : t < 2.5 ? 0.02 : 0.04);
    expect(quietWindowStart(series(3, cpuAt), rule)).toBe(0);
  });

  it("with the bench's own threshold, lets one 10 ms clock tick a second pass as idle, not two", () => {
    const short: QuietRule = { ...settleRuleFor(100_000), windowSeconds: 3 };
    expect(
      quietWindowStart(
        series(3, (t) => 0.01 * Math.floor(t)),
        short,
      ),
    ).toBe(0);
    expect(
      quietWindowStart(
        series(3, (t) => 0.02 * Math.floor(t)),
        short,
      ),
    ).toBeUndefined();
  });

  it('never settles while the server keeps using more than the threshold', () => {
    const samples = series(30, (t) => 0.06 * t);
    expect(quietWindowStart(samples, rule)).toBeUndefined();
  });

  it('sees a burst in the last second before the window is long enough again', () => {
    const cpuAt = (t: number) => (t < 3.75 ? 0 : 0.1);
    expect(quietWindowStart(series(3.5, cpuAt), rule)).toBe(0);
    expect(quietWindowStart(series(3.75, cpuAt), rule)).toBeUndefined();
  });
});

describe('settleResult', () => {
  it('counts the CPU up to the start of the quiet window as the work left behind', () => {
    // Busy at 0.5 cores for 2.5 s, then one stray tick in the quiet window.
    const samples = series(5.5, (t) => 0.5 * Math.min(t, 2.5) + (t >= 4 ? 0.01 : 0));
    const result = settleResult(samples, quietWindowStart(samples, rule));
    expect(result).toEqual({
      seconds: 5.5,
      busySeconds: 2.5,
      deferredCpuSeconds: 1.25,
      waitCpuSeconds: 1.26,
      settled: true,
    });
  });

  it('counts all the CPU of the wait when the server did not settle', () => {
    const samples = series(4, (t) => 0.25 * t);
    expect(settleResult(samples, undefined)).toEqual({
      seconds: 4,
      busySeconds: 4,
      deferredCpuSeconds: 1,
      waitCpuSeconds: 1,
      settled: false,
    });
  });

  it('refuses an empty series', () => {
    expect(() => settleResult([], undefined)).toThrow();
  });
});

describe('settleRuleFor', () => {
  it('waits longer than 10 checks only when more than 1,000 keys can wait to be written', () => {
    expect(settleRuleFor(1000).windowSeconds).toBe(2.5);
    expect(settleRuleFor(1001).windowSeconds).toBe(12);
    expect(settleRuleFor(100_000)).toEqual({
      windowSeconds: 12,
      spanSeconds: 1,
      idleCores: 0.015,
      maxSeconds: 30,
    });
  });
});
