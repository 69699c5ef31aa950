// The wrk load generator (Debian package `wrk`): a C program with an epoll loop, so that on a
// machine with few cores the load generator takes less CPU away from the server under test than
// autocannon in the bench's own Node process does. wrk replays the pre-signed requests from a file
// through a Lua script, and its script prints the run's figures as one line of JSON.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PreparedRequest } from './load.js';

/** wrk's version line (`wrk 4.1.0 …`) when a wrk is on PATH, else undefined. */
export function wrkVersion(): string | undefined {
  const probe = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
  if (probe.error !== undefined) return undefined;
  const line = /^wrk\s+\S+/m.exec(`${probe.stdout}${probe.stderr}`)?.[0];
  return line?.replace(/\s+/g, ' ');
}

/** Request bytes exactly as they go on the wire: request line, headers, blank line, body. */
export function rawRequest(request: PreparedRequest): Buffer {
  const body = Buffer.from(request.body, 'utf8');
  let head = 'POST / HTTP/1.1\r\n';
  let hasLength = false;
  for (const [name, value] of Object.entries(request.headers)) {
    if (/[\r\n]/.test(name) || /[\r\n]/.test(value))
      throw new Error(`header ${name} holds a line break`);
    if (name.toLowerCase() === 'content-length') hasLength = true;
    head += `${name}: ${value}\r\n`;
  }
  if (!hasLength) head += `content-length: ${String(body.length)}\r\n`;
  return Buffer.concat([Buffer.from(`${head}\r\n`, 'latin1'), body]);
}

/**
 * The pool as one file: each request is its byte length in decimal, a newline, then its bytes. The
 * Lua script splits it with string.sub, which counts bytes.
 */
export function poolFile(pool: readonly PreparedRequest[]): Buffer {
  const parts: Buffer[] = [];
  for (const request of pool) {
    const raw = rawRequest(request);
    parts.push(Buffer.from(`${String(raw.length)}\n`, 'latin1'), raw);
  }
  return Buffer.concat(parts);
}

/** What each thread's `init` prints on stderr once it has read the pool. */
export const READY_LINE = 'trent-bench: pool loaded';

/**
 * Each thread starts at its own place in the pool and cycles through it. `init` says on stderr when
 * its thread has read the pool (a pool of 100,000 requests takes wrk most of a second to read, before
 * its clock starts). `done` prints counts, errors and latency percentiles (wrk keeps latencies in
 * microseconds) as JSON on one line.
 */
export const REPLAY_SCRIPT = `
local pool_path = os.getenv("TRENT_BENCH_POOL")
local pool = {}
local count = 0
local next_index = 0
local threads = {}

local function load_pool()
  local file = assert(io.open(pool_path, "rb"))
  local data = file:read("*a")
  file:close()
  local at = 1
  while at <= #data do
    local newline = string.find(data, "\\n", at, true)
    local length = tonumber(string.sub(data, at, newline - 1))
    count = count + 1
    pool[count] = string.sub(data, newline + 1, newline + length)
    at = newline + length + 1
  end
end

function setup(thread)
  thread:set("thread_index", #threads)
  table.insert(threads, thread)
end

function init(args)
  load_pool()
  local spread = tonumber(os.getenv("TRENT_BENCH_THREADS")) or 1
  next_index = math.floor(count * thread_index / spread) % count
  io.stderr:write("${READY_LINE}\\n")
  io.stderr:flush()
end

function request()
  next_index = next_index + 1
  if next_index > count then next_index = 1 end
  return pool[next_index]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"durationUs":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,' ..
    '"p50Us":%d,"p90Us":%d,"p99Us":%d,"maxUs":%d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
`;

export interface WrkFigures {
  readonly requests: number;
  readonly durationSeconds: number;
  /** Non-2xx/3xx answers (wrk counts statuses above 399). */
  readonly statusErrors: number;
  /** Connect, read and write errors and timeouts. */
  readonly socketErrors: number;
  readonly latencyMs: { readonly p50: number; readonly p90: number; readonly p99: number };
}

/** Reads the JSON line the replay script prints in `done`. */
export function parseWrkOutput(stdout: string): WrkFigures {
  const line = stdout
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.startsWith('{"requests"'));
  if (line === undefined) throw new Error(`wrk printed no figures: ${stdout.slice(0, 500)}`);
  const f = JSON.parse(line) as Record<string, number>;
  const n = (name: string) => {
    const value = f[name];
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw new Error(`wrk figure ${name} is missing`);
    return value;
  };
  return {
    requests: n('requests'),
    durationSeconds: n('durationUs') / 1e6,
    statusErrors: n('status'),
    socketErrors: n('connect') + n('read') + n('write') + n('timeout'),
    latencyMs: { p50: n('p50Us') / 1000, p90: n('p90Us') / 1000, p99: n('p99Us') / 1000 },
  };
}

export interface WrkRun {
  readonly url: string;
  readonly connections: number;
  readonly durationSeconds: number;
  readonly threads: number;
  /** A directory for the script and the pool file. */
  readonly workDir: string;
  readonly pool: readonly PreparedRequest[];
  /** Called when every thread has read the pool, just before wrk starts sending and its clock. */
  readonly onLoaded?: () => void;
}

/** The longest wrk may take to read its pool before the run is given up. */
const POOL_LOAD_TIMEOUT_MS = 120_000;

/** Each pool is written once per work dir (a scenario's rounds replay the same pool). */
const poolFiles = new WeakMap<readonly PreparedRequest[], string>();
let poolCounter = 0;

function poolPathFor(run: WrkRun): string {
  const known = poolFiles.get(run.pool);
  if (known !== undefined && dirname(known) === run.workDir && existsSync(known)) return known;
  const path = join(run.workDir, `pool-${String(++poolCounter)}.bin`);
  writeFileSync(path, poolFile(run.pool));
  poolFiles.set(run.pool, path);
  return path;
}

function scriptPathFor(run: WrkRun): string {
  const path = join(run.workDir, 'replay.lua');
  if (!existsSync(path)) writeFileSync(path, REPLAY_SCRIPT);
  return path;
}

/**
 * Runs wrk for the given time. wrk takes whole seconds only, so it is started for longer and
 * stopped with SIGINT at the exact time; it then reports as if its time had run out. The time is
 * counted from when every thread has read the pool, so that a large pool's reading neither shortens
 * the run nor counts as part of it.
 */
export function runWrk(run: WrkRun): Promise<WrkFigures> {
  const threads = Math.max(1, Math.min(run.threads, run.connections));
  const child = spawn(
    'wrk',
    [
      '-t',
      String(threads),
      '-c',
      String(run.connections),
      '-d',
      `${String(Math.ceil(run.durationSeconds) + 2)}s`,
      '--timeout',
      '10s',
      '-s',
      scriptPathFor(run),
      run.url,
    ],
    {
      env: {
        ...process.env,
        TRENT_BENCH_POOL: poolPathFor(run),
        TRENT_BENCH_THREADS: String(threads),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  let threadsLoaded = 0;
  let loadFailed = false;
  let timer = setTimeout(() => {
    loadFailed = true;
    child.kill('SIGKILL');
  }, POOL_LOAD_TIMEOUT_MS);
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    stderr += c;
    if (threadsLoaded === threads) return;
    threadsLoaded = stderr.split(READY_LINE).length - 1;
    if (threadsLoaded < threads) return;
    clearTimeout(timer);
    run.onLoaded?.();
    timer = setTimeout(() => child.kill('SIGINT'), run.durationSeconds * 1000);
  });
  return new Promise((resolve, reject) => {
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      if (loadFailed) {
        reject(new Error(`wrk did not read its pool within ${String(POOL_LOAD_TIMEOUT_MS)} ms`));
        return;
      }
      try {
        resolve(parseWrkOutput(stdout));
      } catch (err) {
        reject(new Error(`wrk exited ${String(code)}: ${(err as Error).message} ${stderr}`));
      }
    });
  });
}
