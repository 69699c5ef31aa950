// Summarises a V8 .cpuprofile (node --cpu-prof): self time by function and by where the code lives
// (a project file, a package, Node internals, GC), so the benchmark can say what dominates.

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
}

export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface Share {
  readonly name: string;
  readonly selfMs: number;
  readonly percent: number;
}

export interface ProfileSummary {
  readonly busyMs: number;
  readonly idleMs: number;
  readonly byFunction: readonly Share[];
  readonly byArea: readonly Share[];
}

const IDLE = '(idle)';

/** Where code lives: a project file, a package under node_modules, Node itself, or a V8 pseudo-frame. */
export function areaOf(frame: CallFrame): string {
  const url = frame.url;
  if (url === '') return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg !== undefined) return pkg;
  const project = /\/dist\/(src\/[^/]+)\//.exec(url)?.[1];
  return project ?? url.replace(/^file:\/\//, '');
}

function shares(totals: Map<string, number>, busyMs: number, top: number): Share[] {
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, selfMs]) => ({
      name,
      selfMs,
      percent: busyMs === 0 ? 0 : (selfMs * 100) / busyMs,
    }));
}

/**
 * Self time by function and by area; several profiles (a cluster's primary and workers, each writes
 * its own) are added up as one.
 */
export function summarizeProfile(
  profiles: CpuProfile | readonly CpuProfile[],
  top = 15,
): ProfileSummary {
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  let busyUs = 0;
  let idleUs = 0;
  const list: readonly CpuProfile[] = 'nodes' in profiles ? [profiles] : profiles;
  for (const profile of list) {
    const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
    profile.samples.forEach((nodeId, i) => {
      const frame = byId.get(nodeId);
      const us = profile.timeDeltas[i] ?? 0;
      if (!frame) return;
      if (frame.functionName === IDLE) {
        idleUs += us;
        return;
      }
      busyUs += us;
      const file = frame.url.replace(/^.*\/(node_modules|dist)\//, '$1/').replace(/^file:\/\//, '');
      const name =
        `${frame.functionName || '(anonymous)'} ${file ? `${file}:${String(frame.lineNumber + 1)}` : ''}`.trim();
      byFunction.set(name, (byFunction.get(name) ?? 0) + us / 1000);
      const area = areaOf(frame);
      byArea.set(area, (byArea.get(area) ?? 0) + us / 1000);
    });
  }
  const busyMs = busyUs / 1000;
  return {
    busyMs,
    idleMs: idleUs / 1000,
    byFunction: shares(byFunction, busyMs, top),
    byArea: shares(byArea, busyMs, top),
  };
}

export function formatProfileSummary(summary: ProfileSummary): string {
  const rows = (list: readonly Share[]) =>
    list.map(
      (s) =>
        `| ${s.name.replace(/\|/g, '\\|')} | ${s.selfMs.toFixed(0)} | ${s.percent.toFixed(1)}% |`,
    );
  return [
    `Busy ${summary.busyMs.toFixed(0)} ms, idle ${summary.idleMs.toFixed(0)} ms.`,
    '',
    '| where | self ms | share of busy |',
    '| --- | --: | --: |',
    ...rows(summary.byArea),
    '',
    '| function | self ms | share of busy |',
    '| --- | --: | --: |',
    ...rows(summary.byFunction),
  ].join('\n');
}
