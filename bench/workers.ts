// The server's worker count in the benchmark: how phases are labelled, and which workers answer. A
// cluster's workers put `x-trent-worker: <1..N>` on every answer; a single process puts nothing.
import { request } from 'node:http';
import type { Endpoint } from './kms-call.js';
import type { RequestSigner } from './sigv4.js';

export const WORKER_HEADER = 'x-trent-worker';

/** "1 worker", "4 workers". */
export function workersLabel(workers: number): string {
  return `${String(workers)} ${workers === 1 ? 'worker' : 'workers'}`;
}

/** The worker number of an `x-trent-worker` value, or undefined when absent or not a number ≥ 1. */
export function workerOf(header: string | string[] | undefined): number | undefined {
  const text = Array.isArray(header) ? header[0] : header;
  if (text === undefined || !/^\s*\d+\s*$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 1 ? n : undefined;
}

/** Sends one request on a connection of its own and resolves with its `x-trent-worker` value. */
function askOnNewConnection(
  endpoint: Endpoint,
  headers: Readonly<Record<string, string>>,
  body: string,
): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: endpoint.host,
        port: endpoint.port,
        method: 'POST',
        path: '/',
        headers: { ...headers, connection: 'close' },
        agent: false,
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          resolve(workerOf(res.headers[WORKER_HEADER]));
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * The distinct workers (ascending) that answered `connections` signed ListKeys requests, one
 * connection each, a few at a time; empty when no answer carried the header (a single process).
 */
export async function workersAnswering(
  endpoint: Endpoint,
  signer: RequestSigner,
  connections: number,
): Promise<number[]> {
  const body = '{"Limit":1}';
  const headers = signer.sign({
    host: `${endpoint.host}:${String(endpoint.port)}`,
    target: 'TrentService.ListKeys',
    body,
    date: new Date(),
  });
  const seen = new Set<number>();
  for (let sent = 0; sent < connections; sent += 4) {
    const batch = Array.from({ length: Math.min(4, connections - sent) }, () =>
      askOnNewConnection(endpoint, headers, body),
    );
    for (const worker of await Promise.all(batch)) if (worker !== undefined) seen.add(worker);
  }
  return [...seen].sort((a, b) => a - b);
}
