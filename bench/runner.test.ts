import { describe, expect, it } from 'vitest';
import type { LoadSpec, Target } from './load.js';
import {
  describeAfterRun,
  runCell,
  summarizeAfterRun,
  type Cell,
  type RoundSteps,
  type TrentRound,
} from './runner.js';
import { settleRuleFor, type SettleResult } from './settle.js';
import { runResult } from './test-fixtures.js';

const trent: Target = { name: 'trent', pid: 1001, host: '127.0.0.1', port: 1 };
const baseline: Target = { name: 'baseline', pid: 1002, host: '127.0.0.1', port: 2 };
const spec: LoadSpec = {
  connections: 32,
  durationSeconds: 5,
  requests: [{ headers: {}, body: '{}' }],
  generator: { kind: 'autocannon' },
};

function settled(deferredCpuSeconds: number, seconds = 14, isSettled = true): SettleResult {
  return {
    seconds,
    busySeconds: seconds - 12,
    deferredCpuSeconds,
    waitCpuSeconds: deferredCpuSeconds + 0.01,
    settled: isSettled,
  };
}

/** Steps that record what was called, in order; Trent answers 1,000 responses a run. */
function recordingSteps(): { steps: RoundSteps; calls: string[] } {
  const calls: string[] = [];
  let settles = 0;
  return {
    calls,
    steps: {
      load: (target, loadSpec) => {
        calls.push(`load ${target.name} ${String(loadSpec.durationSeconds)} s`);
        return Promise.resolve(runResult(target === trent ? 1000 : 5000));
      },
      settle: (target, rule) => {
        calls.push(`settle ${target.name} ${String(rule.windowSeconds)} s`);
        settles++;
        return Promise.resolve(settled(settles / 100));
      },
    },
  };
}

const cell = (settles: boolean, warmupSeconds = 1): Cell => ({
  trent,
  baseline,
  trentSpec: spec,
  baselineSpec: { ...spec, requests: [{ headers: { host: 'b' }, body: '{}' }] },
  rounds: 2,
  warmupSeconds,
  settle: settles ? settleRuleFor(100_000) : undefined,
});

describe('runCell', () => {
  it('waits for the server after every Trent run of a settling phase, warm-up included, and never after the baseline', async () => {
    const { steps, calls } = recordingSteps();
    const { trentRounds, baselineRounds } = await runCell(cell(true), steps);
    expect(calls).toEqual([
      'load trent 1 s',
      'settle trent 12 s',
      'load baseline 1 s',
      'load trent 5 s',
      'settle trent 12 s',
      'load baseline 5 s',
      'load trent 5 s',
      'settle trent 12 s',
      'load baseline 5 s',
    ]);
    // The warm-up's wait is not a round's.
    expect(trentRounds.map((r) => r.afterRun?.deferredCpuSeconds)).toEqual([0.02, 0.03]);
    expect(baselineRounds.map((r) => 'afterRun' in r)).toEqual([false, false]);
  });

  it('does not wait at all in a phase that does not settle', async () => {
    const { steps, calls } = recordingSteps();
    const { trentRounds } = await runCell(cell(false), steps);
    expect(calls.filter((c) => c.startsWith('settle'))).toEqual([]);
    expect(calls).toHaveLength(6);
    expect(trentRounds.every((r) => r.afterRun === undefined)).toBe(true);
  });

  it('runs no warm-up when its length is 0', async () => {
    const { steps, calls } = recordingSteps();
    await runCell(cell(true, 0), steps);
    expect(calls[0]).toBe('load trent 5 s');
    expect(calls.filter((c) => c === 'settle trent 12 s')).toHaveLength(2);
  });
});

describe('summarizeAfterRun', () => {
  const round = (responses: number, after?: SettleResult): TrentRound => ({
    ...runResult(responses),
    ...(after === undefined ? {} : { afterRun: after }),
  });

  it('gives the medians per request and counts the rounds that did not settle', () => {
    const summary = summarizeAfterRun([
      round(10_000, settled(0.05, 14)),
      round(20_000, settled(0.2, 20)),
      round(40_000, settled(0.2, 30, false)),
    ]);
    // 5, 10 and 5 µs per request (6, 10.5 and 5.25 over the whole wait); waits of 14, 20 and 30 s
    // (busy 2, 8 and 18 s).
    expect(summary).toEqual({
      cpuMicrosecondsPerRequest: 5,
      waitCpuMicrosecondsPerRequest: 6,
      busySeconds: 8,
      settleSeconds: 20,
      unsettledRounds: 1,
    });
  });

  it('is undefined when no round waited', () => {
    expect(summarizeAfterRun([round(1000), round(1000)])).toBeUndefined();
  });
});

describe('describeAfterRun', () => {
  it('says how much CPU the server spent after the run and how long it took to settle', () => {
    expect(
      describeAfterRun({
        cpuMicrosecondsPerRequest: 6.25,
        waitCpuMicrosecondsPerRequest: 6.5,
        busySeconds: 8.14,
        settleSeconds: 20.3,
        unsettledRounds: 0,
      }),
    ).toBe(
      ', server CPU after the run 6.3 µs per request (6.5 over the whole wait), busy 8.1 s, ' +
        'settled in 20.3 s',
    );
    expect(
      describeAfterRun({
        cpuMicrosecondsPerRequest: 1,
        waitCpuMicrosecondsPerRequest: 1,
        busySeconds: 30,
        settleSeconds: 30,
        unsettledRounds: 2,
      }),
    ).toContain('settled in 30.0 s, 2 still busy when the wait gave up');
    expect(describeAfterRun(undefined)).toBe('');
  });
});
