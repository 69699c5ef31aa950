// Describes the machine a benchmark ran on: CPU model, cores, memory, Node version, load at start.
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

export interface Machine {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryBytes: number;
  readonly nodeVersion: string;
  readonly platform: string;
  readonly loadAverageAtStart: readonly number[];
}

/** The first "model name" of /proc/cpuinfo, or what os.cpus() says. */
export function cpuModelFrom(cpuinfo: string, fallback: string): string {
  const match = /^model name\s*:\s*(.+)$/m.exec(cpuinfo);
  return (match?.[1] ?? fallback).trim();
}

export function describeMachine(): Machine {
  let cpuinfo = '';
  try {
    cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    cpuinfo = '';
  }
  return {
    cpuModel: cpuModelFrom(cpuinfo, cpus()[0]?.model ?? 'unknown'),
    cores: cpus().length,
    memoryBytes: totalmem(),
    nodeVersion: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverageAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

export function formatMachine(m: Machine): string {
  const gib = (m.memoryBytes / 2 ** 30).toFixed(1);
  return `${m.cpuModel}, ${String(m.cores)} cores, ${gib} GiB RAM, Node ${m.nodeVersion}, ${m.platform}, load average at start ${m.loadAverageAtStart.join(' ')}`;
}
