import { describe, expect, it } from 'vitest';
import { WORKER_CONFIG_ENV, WORKER_ID_ENV } from './messages.js';
import { workerSettings } from './worker-main.js';

const config = { host: '127.0.0.1', port: 0, dataDir: '/tmp/x', dev: false };

describe('workerSettings', () => {
  it('reads the worker id, the configuration and the worker count its primary set', () => {
    const settings = workerSettings({
      [WORKER_ID_ENV]: '2',
      [WORKER_CONFIG_ENV]: JSON.stringify({ config, workers: 4 }),
    });
    expect(settings).toEqual({ workerId: 2, config, workers: 4 });
    expect(Object.isFrozen(settings?.config)).toBe(true);
  });

  it('gives nothing when either is missing or unreadable', () => {
    const good = JSON.stringify({ config, workers: 2 });
    expect(workerSettings({ [WORKER_CONFIG_ENV]: good })).toBeUndefined();
    expect(workerSettings({ [WORKER_ID_ENV]: '1' })).toBeUndefined();
    expect(workerSettings({ [WORKER_ID_ENV]: 'one', [WORKER_CONFIG_ENV]: good })).toBeUndefined();
    expect(workerSettings({ [WORKER_ID_ENV]: '0', [WORKER_CONFIG_ENV]: good })).toBeUndefined();
    expect(workerSettings({ [WORKER_ID_ENV]: '1', [WORKER_CONFIG_ENV]: '{' })).toBeUndefined();
    expect(
      workerSettings({ [WORKER_ID_ENV]: '1', [WORKER_CONFIG_ENV]: JSON.stringify({ config }) }),
    ).toBeUndefined();
    expect(
      workerSettings({
        [WORKER_ID_ENV]: '1',
        [WORKER_CONFIG_ENV]: JSON.stringify({ config: null, workers: 2 }),
      }),
    ).toBeUndefined();
  });
});
