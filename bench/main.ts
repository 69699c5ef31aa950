// `npm run bench`: starts `trent serve` (persistent SQLite in a temporary data dir) and a bare
// node:http baseline, loads both with the same signed requests, and reports. See docs/benchmarks.md.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { replaceBetweenMarkers } from './docs-table.js';
import { callKms, destroyAgent } from './kms-call.js';
import { createKeys, listAllKeys } from './key-store.js';
import { describeMachine } from './machine.js';
import { parseBenchArgs, USAGE, type BenchOptions } from './options.js';
import { startProcess, type ServerProcess } from './processes.js';
import { processTree, treeMemory, treePssBytes } from './proc-stats.js';
import { formatProfileSummary, summarizeProfile, type CpuProfile } from './profile-summary.js';
import { formatReport } from './report.js';
import type { BenchRun, Restart, WorkerStart } from './results.js';
import { runScenario, type Phase, type ScenarioResult, type Targets } from './runner.js';
import {
  createKey,
  largeStoreScenarios,
  smallStoreScenarios,
  type Scenario,
  type SetupApi,
} from './scenarios.js';
import {
  accessKeyFor,
  describeAudit,
  isAuthenticationEnforced,
  SECURITY_SERVE_ARGS,
} from './security.js';
import { settleRuleFor } from './settle.js';
import { RequestSigner } from './sigv4.js';
import { checkTargets, type TargetPhases } from './targets.js';
import type { LoadGenerator } from './load.js';
import { workersAnswering, workersLabel } from './workers.js';
import { wrkVersion } from './wrk.js';

const root = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const began = performance.now();
const log = (line: string) => {
  const seconds = ((performance.now() - began) / 1000).toFixed(1).padStart(6);
  process.stdout.write(line.startsWith('\n') ? `${line}\n` : `[${seconds} s] ${line}\n`);
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function setupApi(
  trent: ServerProcess,
  signer: RequestSigner,
  keyIds: readonly string[],
  sample: number,
  asymmetric: Set<string>,
): SetupApi {
  return {
    keyIds,
    ciphertextSample: sample,
    async call(operation, input) {
      const out = await callKms(trent, signer, operation, input);
      const spec = input.KeySpec;
      if (operation === 'CreateKey' && spec !== undefined && spec !== 'SYMMETRIC_DEFAULT')
        asymmetric.add(String((out.KeyMetadata as Record<string, unknown>).KeyId));
      return out;
    },
  };
}

/** `workers` undefined: a build without `--workers`, started as it always was (one process). */
function startTrentProcess(
  dataDir: string,
  workers: number | undefined,
  profileDir: string | undefined,
): Promise<ServerProcess> {
  return startProcess({
    name: 'trent',
    nodeArgs: [
      ...(profileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', profileDir]),
      join(root, 'bin', 'trent.js'),
      'serve',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--data-dir',
      dataDir,
      ...(workers === undefined ? [] : ['--workers', String(workers)]),
      ...SECURITY_SERVE_ARGS,
    ],
  });
}

/**
 * Stops the server (a crash unless profiling, which needs a clean exit) and waits until it and all
 * its workers are gone, restarts it on the same data dir, counts keys. With a cluster, SIGKILL hits
 * the primary only: its workers end when their IPC channel closes.
 */
async function restartAndCount(
  trent: ServerProcess,
  dataDir: string,
  signer: RequestSigner,
  keysAcknowledged: number,
  signal: 'SIGKILL' | 'SIGTERM',
  workers: number | undefined,
): Promise<Restart> {
  await trent.stop(signal);
  const started = performance.now();
  const again = await startTrentProcess(dataDir, workers, undefined);
  const startSeconds = (performance.now() - started) / 1000;
  try {
    const listed = await listAllKeys(again, signer);
    return {
      signal,
      keysAcknowledged,
      keysAfterRestart: listed.keyIds.length,
      startSeconds,
      workers: workers ?? 1,
    };
  } finally {
    await again.stop();
  }
}

/** Waits for a cluster's workers to exist (up to 10 s), then for the server to settle, and measures it idle. */
async function measureStart(
  trent: ServerProcess,
  signer: RequestSigner,
  workers: number,
): Promise<WorkerStart> {
  const deadline = performance.now() + 10_000;
  while (processTree(trent.pid).length < (workers > 1 ? workers + 1 : 1)) {
    if (performance.now() > deadline) break;
    await sleep(50);
  }
  await sleep(1000);
  const tree = processTree(trent.pid);
  const idleRssBytes = treeMemory(tree).rssBytes;
  const idlePssBytes = treePssBytes(tree);
  const probeConnections = 4 * workers;
  return {
    workers,
    processes: tree.length,
    idleRssBytes,
    ...(idlePssBytes === undefined ? {} : { idlePssBytes }),
    workersAnswering: await workersAnswering(trent, signer, probeConnections),
    probeConnections,
    keys: (await listAllKeys(trent, signer)).keyIds.length,
  };
}

/** Every profile the server's processes wrote (a cluster: one per process and start), added up. */
function readProfiles(profileDir: string, stamp: string): BenchRun['profile'] | undefined {
  const files = readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length === 0) return undefined;
  const parsed = files.map(
    (f) => JSON.parse(readFileSync(join(profileDir, f), 'utf8')) as CpuProfile,
  );
  const where = join('bench-results', `profile-${stamp}`);
  return {
    file:
      files.length === 1
        ? join(where, files[0] ?? '')
        : `${where}/ (${String(files.length)} profiles: every process and thread of every start, added up)`,
    summary: formatProfileSummary(summarizeProfile(parsed)),
  };
}

async function run(options: BenchOptions): Promise<void> {
  const startedAt = new Date().toISOString();
  const stamp = startedAt.replace(/[:.]/g, '-');
  const resultsDir = join(root, 'bench-results');
  mkdirSync(resultsDir, { recursive: true });
  const profileDir = options.profile ? join(resultsDir, `profile-${stamp}`) : undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'trent-bench-'));
  // wrk's script and request files, apart from the server's data.
  const loadDir = mkdtempSync(join(tmpdir(), 'trent-bench-load-'));
  const serveHelp = execFileSync(
    process.execPath,
    [join(root, 'bin', 'trent.js'), 'serve', '--help'],
    {
      encoding: 'utf8',
    },
  );
  const machine = describeMachine();
  log(`trent bench (${options.mode}): data dir ${dataDir}`);
  // A build without --workers is measured as it runs: one process.
  const hasWorkers = /--workers\b/.test(serveHelp);
  if (!hasWorkers) log('this build of trent serve has no --workers: measuring one process only');
  const counts = hasWorkers ? options.workers : [1];
  const most = counts[counts.length - 1] ?? 1;
  const flag = (workers: number) => (hasWorkers ? workers : undefined);
  log(`worker counts: ${counts.map(workersLabel).join(', ')}`);

  let trent = await startTrentProcess(dataDir, flag(counts[0] ?? 1), profileDir);
  let trentRunning = true;
  const baseline = await startProcess({
    name: 'baseline',
    nodeArgs: [join(root, 'dist', 'bench', 'baseline-server.js')],
  });
  try {
    const accessKey = accessKeyFor(trent.output(), process.env);
    const signer = new RequestSigner(accessKey.credentials, 'us-east-1');
    const enforced = await isAuthenticationEnforced(trent);
    const security = {
      authentication: enforced
        ? 'enforced (unsigned requests are refused)'
        : 'NOT enforced by this build (an unsigned request was accepted), so signature verification is not measured',
      accessKey: accessKey.source,
      audit: describeAudit(serveHelp),
    };
    log(`authentication: ${security.authentication}; audit: ${security.audit}`);
    const wrk = options.loadGenerator === 'autocannon' ? undefined : wrkVersion();
    if (options.loadGenerator === 'wrk' && wrk === undefined)
      throw new Error('--load-generator wrk: no wrk on PATH (Debian: apt-get install wrk)');
    const generator: LoadGenerator =
      wrk === undefined
        ? { kind: 'autocannon' }
        : { kind: 'wrk', threads: options.wrkThreads, workDir: loadDir };
    const loadGenerator =
      wrk === undefined
        ? `autocannon in the bench process${options.loadGenerator === undefined ? ' (no wrk on PATH)' : ''}`
        : `${wrk}, ${String(options.wrkThreads)} thread${options.wrkThreads === 1 ? '' : 's'}`;
    log(`load generator: ${loadGenerator}`);
    const asymmetric = new Set<string>();
    const chosen = (s: Scenario) => options.only === undefined || options.only.has(s.id);
    const scenarios: ScenarioResult[] = [];
    const starts: WorkerStart[] = [];
    let smallKeys: string[] | undefined;

    let current = counts[0] ?? 1; // the worker count of the running server
    /** Restarts the server on the same data dir at another worker count (the access key stays valid). */
    const switchTo = async (workers: number) => {
      if (workers === current) return;
      log(`restarting the server with ${workersLabel(workers)} (SIGTERM, then the same data dir)`);
      trentRunning = false;
      await trent.stop('SIGTERM');
      trent = await startTrentProcess(dataDir, flag(workers), profileDir);
      trentRunning = true;
      current = workers;
      await sleep(1000); // lets the workers settle, as before the idle measurement of a first start
    };
    const smallPhaseAt = (workers: number) => ({
      label: `${String(options.smallStoreKeys)} keys, ${workersLabel(workers)}`,
      workers,
    });
    const runSmall = async (workers: number, list: readonly Scenario[]) => {
      const phase = smallPhaseAt(workers);
      const targets: Targets = { trent, baseline, signer, generator };
      const api = setupApi(trent, signer, smallKeys ?? [], options.smallStoreKeys, asymmetric);
      log(`phase: ${phase.label}${list.length === 1 ? ` (${list[0]?.title ?? ''})` : ''}`);
      for (const s of list.filter(chosen))
        scenarios.push(await runScenario(s, phase, api, targets, options.plan, log));
    };

    // The hot path at each worker count, ascending, on the same data dir and the same few keys.
    for (const workers of counts) {
      await switchTo(workers);
      const start = await measureStart(trent, signer, workers);
      starts.push(start);
      log(
        `${workersLabel(workers)}: ${String(start.processes)} processes, idle RSS ` +
          `${(start.idleRssBytes / 2 ** 20).toFixed(1)} MiB, x-trent-worker seen: ` +
          (start.workersAnswering.length === 0 ? 'none' : start.workersAnswering.join(', ')),
      );
      if (workers > 1 && start.processes !== workers + 1)
        log(
          `  warning: expected ${String(workers + 1)} processes, found ${String(start.processes)}`,
        );
      smallKeys ??= (await createKeys(trent, signer, options.smallStoreKeys)).keyIds;
      await runSmall(workers, smallStoreScenarios);
    }
    const smallPhase = smallPhaseAt(most).label;
    const fewest = counts[0] ?? 1;
    const compare: TargetPhases['compare'] =
      counts.length > 1 ? { workers: fewest, small: smallPhaseAt(fewest).label } : undefined;
    // CreateKey after every hot-path phase (the keys it makes would otherwise sit in the store of the
    // later ones): at 1 worker, the single process, then at the largest count, where the run stays.
    if (chosen(createKey)) {
      if (counts.includes(1) && most !== 1) {
        await switchTo(1);
        await runSmall(1, [createKey]);
      }
      await switchTo(most);
      await runSmall(most, [createKey]);
    }
    await switchTo(most);
    const largeScenarios = largeStoreScenarios.filter(chosen);

    const before = await listAllKeys(trent, signer);
    const wanted = largeScenarios.length > 0 ? options.largeStoreKeys : before.keyIds.length;
    const missing = Math.max(0, wanted - before.keyIds.length);
    log(
      `filling the store from ${String(before.keyIds.length)} to ${String(options.largeStoreKeys)} keys`,
    );
    const filled = await createKeys(trent, signer, missing, (done) => {
      log(`  ${String(done)} / ${String(missing)} keys`);
    });
    await sleep(options.mode === 'quick' ? 500 : 2000);
    const largeStoreIdleRssBytes = treeMemory(processTree(trent.pid)).rssBytes;
    const listed = await listAllKeys(trent, signer);
    const largeKeys = listed.keyIds.filter((k) => !asymmetric.has(k));
    // Spread over many keys, a run leaves last-use writes behind (up to 10 s): each Trent run is
    // followed by a wait until the server is idle, and the CPU of that wait is reported beside it.
    const settle = options.settleLargeStore ? settleRuleFor(listed.keyIds.length) : undefined;
    const largePhase: Phase = {
      label: `${String(listed.keyIds.length)} keys, spread, ${workersLabel(most)}`,
      workers: most,
      ...(settle === undefined ? {} : { settle }),
    };
    log(
      `phase: ${largePhase.label} (ListKeys: ${String(listed.timing.pages)} pages in ${listed.timing.totalSeconds.toFixed(2)} s)`,
    );
    const largeApi = setupApi(trent, signer, largeKeys, options.ciphertextSample, asymmetric);
    const largeTargets: Targets = { trent, baseline, signer, generator };
    for (const s of largeScenarios)
      scenarios.push(
        await runScenario(
          s,
          largePhase,
          largeApi,
          largeTargets,
          { ...options.plan, connections: options.largeStoreConnections },
          log,
        ),
      );

    trentRunning = false;
    const signal = options.profile ? 'SIGTERM' : 'SIGKILL';
    log(`restarting the server after ${signal}${most > 1 ? ' of the primary' : ''}`);
    const restart = await restartAndCount(
      trent,
      dataDir,
      signer,
      listed.keyIds.length,
      signal,
      flag(most),
    );
    const profile = profileDir === undefined ? undefined : readProfiles(profileDir, stamp);
    const partial = {
      scenarios,
      memory: { idleRssBytes: starts[0]?.idleRssBytes ?? 0, largeStoreIdleRssBytes },
      workerStarts: starts,
      largeStore: {
        keys: listed.keyIds.length,
        workers: most,
        population: filled.population,
        listKeys: listed.timing,
        restart,
      },
    };
    const result: BenchRun = {
      startedAt,
      mode: options.mode,
      machine,
      security,
      store: 'persistent SQLite in a temporary data dir',
      plan: options.plan,
      loadGenerator,
      ...(largeScenarios.length > 0 && settle !== undefined ? { settle } : {}),
      ...partial,
      targets: checkTargets(partial, {
        workers: most,
        small: smallPhase,
        large: largePhase.label,
        ...(compare === undefined ? {} : { compare }),
      }),
      ...(profile ? { profile } : {}),
    };
    const jsonFile = join(resultsDir, `${stamp}.json`);
    writeFileSync(jsonFile, JSON.stringify(result, null, 2));
    const report = formatReport(result);
    log(`\n${report}\n`);
    if (profile) log(`CPU profile ${profile.file}:\n${profile.summary}\n`);
    log(`results: ${jsonFile}`);
    if (options.updateDocs) updateDocs(report);
  } finally {
    destroyAgent();
    if (trentRunning) await trent.stop();
    await baseline.stop();
    if (!options.keepData) rmSync(dataDir, { recursive: true, force: true });
    rmSync(loadDir, { recursive: true, force: true });
  }
}

function updateDocs(report: string): void {
  const docsFile = join(root, 'docs', 'benchmarks.md');
  writeFileSync(docsFile, replaceBetweenMarkers(readFileSync(docsFile, 'utf8'), report));
  log(`updated ${docsFile}`);
}

const parsed = parseBenchArgs(process.argv.slice(2));
if (parsed === 'help') process.stdout.write(USAGE);
else if ('render' in parsed)
  updateDocs(formatReport(JSON.parse(readFileSync(parsed.render, 'utf8')) as BenchRun));
else await run(parsed);
