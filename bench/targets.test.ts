import { describe, expect, it } from 'vitest';
import { checkTargets } from './targets.js';
import { connections, largeStore, scenario, unavailable } from './test-fixtures.js';

const MIB = 1024 * 1024;

function verdicts(run: Parameters<typeof checkTargets>[0]) {
  return Object.fromEntries(checkTargets(run, 'few', 'many').map((t) => [t.target, t.pass]));
}

const memory = { idleRssBytes: 80 * MIB, largeStoreIdleRssBytes: 300 * MIB };

describe('checkTargets', () => {
  it('passes a hot path at 0.6× the baseline with p99 of 5 ms, and misses just below', () => {
    const v = verdicts({
      memory,
      largeStore,
      scenarios: [
        scenario('encrypt', 'few', [connections(32, 600, 1000, 5)]),
        scenario('decrypt', 'few', [connections(32, 599, 1000, 5.01)]),
      ],
    });
    expect(v['encrypt @32 vs baseline']).toBe(true);
    expect(v['encrypt @32 p99']).toBe(true);
    expect(v['decrypt @32 vs baseline']).toBe(false);
    expect(v['decrypt @32 p99']).toBe(false);
  });

  it('says n/a for a target whose scenario did not run', () => {
    const v = verdicts({
      memory,
      largeStore,
      scenarios: [unavailable('generate-data-key', 'few', 'no')],
    });
    expect(v['generate-data-key @32 vs baseline']).toBeUndefined();
    expect(v['CreateKey @32']).toBeUndefined();
  });

  it('compares the large store with the small one at 90%', () => {
    const v = verdicts({
      memory,
      largeStore,
      scenarios: [
        scenario('encrypt', 'few', [connections(32, 1000, 2000)]),
        scenario('encrypt', 'many', [connections(32, 900, 2000)]),
        scenario('describe-key', 'few', [connections(32, 1000, 2000)]),
        scenario('describe-key', 'many', [connections(32, 899, 2000)]),
      ],
    });
    expect(v['encrypt @32, 100000 keys vs few keys']).toBe(true);
    expect(v['describe-key @32, 100000 keys vs few keys']).toBe(false);
  });

  it('checks CreateKey at 500 keys/s and idle RSS at 150 MiB', () => {
    const pass = verdicts({
      memory: { ...memory, idleRssBytes: 150 * MIB },
      largeStore,
      scenarios: [scenario('create-key', 'few', [connections(32, 500, 9000)])],
    });
    expect(pass['CreateKey @32']).toBe(true);
    expect(pass['idle RSS']).toBe(true);
    const miss = verdicts({
      memory: { ...memory, idleRssBytes: 151 * MIB },
      largeStore,
      scenarios: [scenario('create-key', 'few', [connections(32, 499, 9000)])],
    });
    expect(miss['CreateKey @32']).toBe(false);
    expect(miss['idle RSS']).toBe(false);
  });

  it('misses durability when a restart finds fewer keys than were acknowledged', () => {
    const lost = { ...largeStore, restart: { ...largeStore.restart, keysAfterRestart: 99_999 } };
    expect(
      verdicts({ memory, largeStore: lost, scenarios: [] })[
        'acknowledged keys present after SIGKILL and restart'
      ],
    ).toBe(false);
    expect(
      verdicts({ memory, largeStore, scenarios: [] })[
        'acknowledged keys present after SIGKILL and restart'
      ],
    ).toBe(true);
  });

  it('misses the error target when any run had an error', () => {
    const v = verdicts({
      memory,
      largeStore,
      scenarios: [scenario('encrypt', 'few', [connections(1, 10, 20, 1, 3)])],
    });
    expect(v['errors in every run']).toBe(false);
  });
});
