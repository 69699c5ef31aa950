#!/usr/bin/env node
// The `trent` command: runs the compiled CLI (npm run build makes dist/). A worker process of
// `trent serve --workers N` runs the same file, forked by its primary, and goes straight to serving.
import cluster from 'node:cluster';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const entry = join(root, 'dist', 'src', 'cli', 'main.js');
if (!existsSync(entry)) {
  console.error('trent: not built yet; run `npm run build` first');
  process.exit(1);
}
if (cluster.isWorker) {
  const { runWorkerProcess } = await import(join(root, 'dist', 'src', 'cluster', 'worker-main.js'));
  await runWorkerProcess();
} else {
  const { runCli } = await import(entry);
  process.exitCode = await runCli(process.argv.slice(2));
}
