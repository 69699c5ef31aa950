#!/usr/bin/env node
// The `trent` command: runs the compiled CLI (npm run build makes dist/).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const entry = join(root, 'dist', 'src', 'cli', 'main.js');
if (!existsSync(entry)) {
  console.error('trent: not built yet; run `npm run build` first');
  process.exit(1);
}
const { runCli } = await import(entry);
process.exitCode = await runCli(process.argv.slice(2));
