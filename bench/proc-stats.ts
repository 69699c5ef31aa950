// Reads a server's CPU time and memory from /proc (Linux), for one process or a whole process tree (a
// cluster's primary and its workers). Never writes anything except the peak-RSS reset that
// /proc/<pid>/clear_refs offers; failures there only lose the per-phase peak.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

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

/** The parent pid (field 4 of stat(5)) and the state (field 3), after the command name. */
export function parseParentAndState(stat: string): { ppid: number; state: string } {
  const afterName = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(afterName[1]), state: afterName[0] ?? '' };
}

/**
 * `root` and every live descendant of it (children, their children …), root first, from a map of
 * pid → parent pid. Zombies are left out by the caller: they hold no memory and use no CPU.
 */
export function treeFrom(root: number, parents: ReadonlyMap<number, number>): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parents) {
    const list = children.get(ppid);
    if (list === undefined) children.set(ppid, [pid]);
    else list.push(pid);
  }
  const out = [root];
  for (let i = 0; i < out.length; i++)
    for (const child of (children.get(out[i]!) ?? []).sort((a, b) => a - b)) out.push(child);
  return out;
}

/** pid → parent pid of every live (not zombie) process this user can see under /proc. */
function liveParents(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const { ppid, state } = parseParentAndState(readFileSync(`/proc/${entry}/stat`, 'utf8'));
      if (state !== 'Z' && state !== 'X') parents.set(Number(entry), ppid);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return parents;
}

/**
 * The server's process tree: the process itself and, for a cluster, the primary's workers (what
 * `pgrep -P <pid>` lists, and their own children). Empty when the process itself is gone.
 */
export function processTree(pid: number): number[] {
  const parents = liveParents();
  return parents.has(pid) ? treeFrom(pid, parents) : [];
}

/** Whether the process still runs (a zombie has ended: it waits only for its parent to reap it). */
export function isAlive(pid: number): boolean {
  try {
    const { state } = parseParentAndState(readFileSync(`/proc/${String(pid)}/stat`, 'utf8'));
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** CPU seconds summed over the processes; a process that has ended counts as 0. */
export function treeCpuSeconds(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      total += cpuSeconds(pid);
    } catch {
      // ended
    }
  }
  return total;
}

/**
 * RSS and peak RSS summed over the processes. The summed peak adds each process's own peak, which
 * may come at different moments: an upper bound of the tree's peak at any one moment.
 */
export function treeMemory(pids: readonly number[]): Memory {
  let rssBytes = 0;
  let peakRssBytes = 0;
  for (const pid of pids) {
    try {
      const m = memory(pid);
      rssBytes += m.rssBytes;
      peakRssBytes += m.peakRssBytes;
    } catch {
      // ended
    }
  }
  return { rssBytes, peakRssBytes };
}

/**
 * The `Pss:` line of /proc/<pid>/smaps_rollup (proc(5)): the process's resident memory with each
 * shared page divided among the processes that map it. Undefined when the line is missing.
 */
export function parsePssBytes(smapsRollup: string): number | undefined {
  const match = /^Pss:\s+(\d+) kB$/m.exec(smapsRollup);
  return match?.[1] === undefined ? undefined : Number(match[1]) * 1024;
}

/**
 * PSS summed over the processes: the memory they hold together, each page counted once, where summed
 * RSS counts the pages they share (Node's own code, mapped by every process of a cluster) once per
 * process. Undefined when any process's figure cannot be read (no smaps_rollup before Linux 4.14).
 */
export function treePssBytes(pids: readonly number[]): number | undefined {
  let total = 0;
  for (const pid of pids) {
    let text: string;
    try {
      text = readFileSync(`/proc/${String(pid)}/smaps_rollup`, 'utf8');
    } catch {
      return undefined;
    }
    const pss = parsePssBytes(text);
    if (pss === undefined) return undefined;
    total += pss;
  }
  return total;
}

/** Resets the peak RSS of every process; false when any reset was refused. */
export function resetTreePeakRss(pids: readonly number[]): boolean {
  let all = true;
  for (const pid of pids) all = resetPeakRss(pid) && all;
  return all;
}
