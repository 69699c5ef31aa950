import { describe, expect, it } from 'vitest';
import {
  FEW_KEYS_WAITING,
  isUsageWriteDue,
  MAX_CHECKS_WAITING,
  USAGE_CHECK_INTERVAL_MS,
} from './usage-schedule.js';

describe('when noted uses are written', () => {
  it('writes nothing while no key waits', () => {
    expect(isUsageWriteDue(0, 1)).toBe(false);
    expect(isUsageWriteDue(0, MAX_CHECKS_WAITING + 5)).toBe(false);
  });

  it('writes a few keys’ uses at every check', () => {
    expect(isUsageWriteDue(1, 1)).toBe(true);
    expect(isUsageWriteDue(FEW_KEYS_WAITING, 1)).toBe(true);
  });

  it('lets many keys wait until the oldest use has waited the longest interval', () => {
    for (let checks = 1; checks < MAX_CHECKS_WAITING; checks++)
      expect(isUsageWriteDue(FEW_KEYS_WAITING + 1, checks)).toBe(false);
    expect(isUsageWriteDue(FEW_KEYS_WAITING + 1, MAX_CHECKS_WAITING)).toBe(true);
    expect(isUsageWriteDue(100_000, MAX_CHECKS_WAITING + 1)).toBe(true);
  });

  it('bounds the longest wait at the ten seconds the docs give', () => {
    expect(USAGE_CHECK_INTERVAL_MS * MAX_CHECKS_WAITING).toBe(10_000);
  });
});
