import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAlive, processTree } from './proc-stats.js';
import { startProcess } from './processes.js';
import { RequestSigner } from './sigv4.js';
import { workersAnswering } from './workers.js';

// A stand-in for a cluster server: a primary that forks two workers sharing one port, prints the
// address once both listen, and answers with the worker's number, as `trent serve --workers 2` does.
const CLUSTER = `
import cluster from 'node:cluster';
import { createServer } from 'node:http';
if (cluster.isPrimary) {
  let listening = 0;
  for (let i = 0; i < 2; i++)
    cluster.fork().on('listening', (address) => {
      if (++listening === 2) console.log('listening on http://127.0.0.1:' + address.port);
    });
} else {
  createServer((req, res) => {
    res.setHeader('x-trent-worker', String(cluster.worker.id));
    res.end('{}');
  }).listen(0, '127.0.0.1');
}
`;

const dir = mkdtempSync(join(tmpdir(), 'trent-bench-cluster-'));
const script = join(dir, 'cluster.mjs');
writeFileSync(script, CLUSTER);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const signer = new RequestSigner(
  { accessKeyId: 'AKIAPROCESSESTEST000', secretAccessKey: 'processes-test-secret' },
  'us-east-1',
);

describe('startProcess with a cluster', () => {
  it.each(['SIGKILL', 'SIGTERM'] as const)(
    'measures the primary and its workers, and %s of the primary waits until the workers are gone',
    async (signal) => {
      const server = await startProcess({ name: 'cluster', nodeArgs: [script] });
      let stopped = false;
      try {
        const tree = processTree(server.pid);
        expect(tree).toHaveLength(3);
        expect(tree[0]).toBe(server.pid);
        expect(await workersAnswering(server, signer, 8)).toEqual([1, 2]);
        await server.stop(signal);
        stopped = true;
        for (const pid of tree) expect(isAlive(pid)).toBe(false);
      } finally {
        if (!stopped) await server.stop('SIGKILL');
      }
    },
  );
});
