// A cluster's primary serves no HTTP: it must not load the server (fastify, the operations, the
// request model) or the key cache's cryptography, which cost every deployment memory for nothing.
// Every process of a real `trent serve --workers 2` logs the modules it loads through a loader hook.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, startTrentProcess, tempDir, type RunningTrent } from './process.js';

let trent: RunningTrent | undefined;
let loaded: Map<number, string[]>;

beforeAll(async () => {
  const dir = tempDir('trent-footprint-');
  const log = join(dir, 'modules.log');
  writeFileSync(log, '');
  writeFileSync(
    join(dir, 'hook.mjs'),
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, process.pid + ' ' + resolved.url + '\\n');
  return resolved;
}
`,
  );
  writeFileSync(
    join(dir, 'register.mjs'),
    `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hook.mjs')).href)});\n`,
  );
  // NODE_OPTIONS reaches the workers too: cluster.fork passes the environment on.
  const env = cleanEnv({
    NODE_OPTIONS: `--import ${pathToFileURL(join(dir, 'register.mjs')).href}`,
  });
  trent = await startTrentProcess(['--data-dir', join(dir, 'data'), '--workers', '2'], env);
  loaded = new Map();
  for (const line of readFileSync(log, 'utf8').split('\n')) {
    const [pid, url] = line.split(' ');
    if (pid === undefined || url === undefined) continue;
    const list = loaded.get(Number(pid)) ?? [];
    list.push(url);
    loaded.set(Number(pid), list);
  }
}, 60_000);

afterAll(async () => {
  await trent?.stop();
});

const CONFIGURING =
  /\/dist\/src\/cli\/|\/dist\/src\/config\/(load|schema)\.js$|\/node_modules\/zod\//;
const SERVING = /\/dist\/src\/api\/server\.js$|\/node_modules\/fastify\/|\/node_modules\/@noble\//;

describe('the processes of trent serve --workers 2', () => {
  it('loads neither the HTTP server nor the key cryptography, which its workers load', () => {
    const primaryPid = trent?.child.pid;
    const primary = loaded.get(primaryPid ?? -1) ?? [];
    // The hook saw the primary start the CLI and the audit host, so an empty list cannot pass.
    expect(primary.some((url) => url.endsWith('/dist/src/cluster/primary.js'))).toBe(true);
    expect(primary.some((url) => url.endsWith('/dist/src/audit/audit-host.js'))).toBe(true);
    expect(primary.filter((url) => SERVING.test(url))).toEqual([]);
    const workers = [...loaded.keys()].filter((pid) => pid !== primaryPid);
    expect(workers).toHaveLength(2);
    for (const pid of workers) {
      const urls = loaded.get(pid) ?? [];
      expect(urls.some((url) => url.endsWith('/dist/src/api/server.js'))).toBe(true);
      expect(urls.some((url) => url.includes('/node_modules/fastify/'))).toBe(true);
    }
  });

  it('has its workers serve with the configuration it validated: they load neither the CLI nor zod', () => {
    const primary = loaded.get(trent?.child.pid ?? -1) ?? [];
    expect(primary.some((url) => url.includes('/node_modules/zod/'))).toBe(true);
    const workers = [...loaded.keys()].filter((pid) => pid !== trent?.child.pid);
    expect(workers).toHaveLength(2);
    for (const pid of workers) {
      const urls = loaded.get(pid) ?? [];
      expect(urls.some((url) => url.endsWith('/dist/src/cluster/worker-main.js'))).toBe(true);
      expect(urls.filter((url) => CONFIGURING.test(url))).toEqual([]);
    }
  });
});
