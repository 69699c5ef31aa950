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
import { memory } from './proc-stats.js';
import { formatProfileSummary, summarizeProfile, type CpuProfile } from './profile-summary.js';
import { formatReport } from './report.js';
import type { BenchRun, Restart } from './results.js';
import { runScenario, type ScenarioResult, type Targets } from './runner.js';
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
import { RequestSigner } from './sigv4.js';
import { checkTargets } from './targets.js';

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

function startTrentProcess(
  dataDir: string,
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
      ...SECURITY_SERVE_ARGS,
    ],
  });
}

/** Stops the server (a crash unless profiling, which needs a clean exit), restarts it, counts keys. */
async function restartAndCount(
  trent: ServerProcess,
  dataDir: string,
  signer: RequestSigner,
  keysAcknowledged: number,
  signal: 'SIGKILL' | 'SIGTERM',
): Promise<Restart> {
  await trent.stop(signal);
  const started = performance.now();
  const again = await startTrentProcess(dataDir, undefined);
  const startSeconds = (performance.now() - started) / 1000;
  try {
    const listed = await listAllKeys(again, signer);
    return { signal, keysAcknowledged, keysAfterRestart: listed.keyIds.length, startSeconds };
  } finally {
    await again.stop();
  }
}

async function run(options: BenchOptions): Promise<void> {
  const startedAt = new Date().toISOString();
  const stamp = startedAt.replace(/[:.]/g, '-');
  const resultsDir = join(root, 'bench-results');
  mkdirSync(resultsDir, { recursive: true });
  const profileDir = join(resultsDir, `profile-${stamp}`);
  const dataDir = mkdtempSync(join(tmpdir(), 'trent-bench-'));
  const serveHelp = execFileSync(
    process.execPath,
    [join(root, 'bin', 'trent.js'), 'serve', '--help'],
    {
      encoding: 'utf8',
    },
  );
  const machine = describeMachine();
  log(`trent bench (${options.mode}): data dir ${dataDir}`);

  const trent = await startTrentProcess(dataDir, options.profile ? profileDir : undefined);
  const baseline = await startProcess({
    name: 'baseline',
    nodeArgs: [join(root, 'dist', 'bench', 'baseline-server.js')],
  });
  let trentStopped = false;
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
    await sleep(1000);
    const idleRssBytes = memory(trent.pid).rssBytes;
    const targets: Targets = { trent, baseline, signer };
    const asymmetric = new Set<string>();

    const smallKeys = (await createKeys(trent, signer, options.smallStoreKeys)).keyIds;
    const smallPhase = `${String(options.smallStoreKeys)} keys`;
    const scenarios: ScenarioResult[] = [];
    const smallApi = setupApi(trent, signer, smallKeys, options.smallStoreKeys, asymmetric);
    log(`phase: ${smallPhase}`);
    const chosen = (s: Scenario) => options.only === undefined || options.only.has(s.id);
    for (const s of [...smallStoreScenarios, createKey].filter(chosen))
      scenarios.push(await runScenario(s, smallPhase, smallApi, targets, options.plan, log));
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
    const largeStoreIdleRssBytes = memory(trent.pid).rssBytes;
    const listed = await listAllKeys(trent, signer);
    const largeKeys = listed.keyIds.filter((k) => !asymmetric.has(k));
    const largePhase = `${String(listed.keyIds.length)} keys, spread`;
    log(
      `phase: ${largePhase} (ListKeys: ${String(listed.timing.pages)} pages in ${listed.timing.totalSeconds.toFixed(2)} s)`,
    );
    const largeApi = setupApi(trent, signer, largeKeys, options.ciphertextSample, asymmetric);
    for (const s of largeScenarios)
      scenarios.push(
        await runScenario(
          s,
          largePhase,
          largeApi,
          targets,
          { ...options.plan, connections: options.largeStoreConnections },
          log,
        ),
      );

    trentStopped = true;
    const signal = options.profile ? 'SIGTERM' : 'SIGKILL';
    log(`restarting the server after ${signal}`);
    const restart = await restartAndCount(trent, dataDir, signer, listed.keyIds.length, signal);
    let profile: BenchRun['profile'];
    if (options.profile) {
      const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
      if (file !== undefined) {
        const parsed = JSON.parse(readFileSync(join(profileDir, file), 'utf8')) as CpuProfile;
        profile = {
          file: join('bench-results', `profile-${stamp}`, file),
          summary: formatProfileSummary(summarizeProfile(parsed)),
        };
      }
    }
    const partial = {
      scenarios,
      memory: { idleRssBytes, largeStoreIdleRssBytes },
      largeStore: {
        keys: listed.keyIds.length,
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
      ...partial,
      targets: checkTargets(partial, smallPhase, largePhase),
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
    if (!trentStopped) await trent.stop();
    await baseline.stop();
    if (!options.keepData) rmSync(dataDir, { recursive: true, force: true });
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
