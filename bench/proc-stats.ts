// Reads a server process's CPU time and memory from /proc (Linux). Never writes anything except the
// peak-RSS reset that /proc/<pid>/clear_refs offers; failures there only lose the per-phase peak.
import { readFileSync, writeFileSync } from 'node:fs';

/** Linux reports utime/stime in clock ticks; USER_HZ is 100 on every mainstream architecture. */
export const CLOCK_TICKS_PER_SECOND = 100;

/** utime + stime in seconds, from the fields after the parenthesised command name. */
export function parseCpuSeconds(stat: string): number {
  const afterName = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of stat(5) are utime and stime; afterName starts at field 3.
  const utime = Number(afterName[11]);
  const stime = Number(afterName[12]);
  return (utime + stime) / CLOCK_TICKS_PER_SECOND;
}

/** A `Vm*:  1234 kB` field of /proc/<pid>/status, in bytes; undefined when absent. */
export function parseStatusBytes(status: string, field: string): number | undefined {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
  return match?.[1] === undefined ? undefined : Number(match[1]) * 1024;
}

export function cpuSeconds(pid: number): number {
  return parseCpuSeconds(readFileSync(`/proc/${String(pid)}/stat`, 'utf8'));
}

export interface Memory {
  readonly rssBytes: number;
  readonly peakRssBytes: number;
}

export function memory(pid: number): Memory {
  const status = readFileSync(`/proc/${String(pid)}/status`, 'utf8');
  return {
    rssBytes: parseStatusBytes(status, 'VmRSS') ?? 0,
    peakRssBytes: parseStatusBytes(status, 'VmHWM') ?? 0,
  };
}

/** Resets VmHWM to the current RSS (proc(5): clear_refs value 5); false when not permitted. */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${String(pid)}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}
