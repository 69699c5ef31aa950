// One signed AWS JSON 1.1 call to a running server, for setting up and checking a benchmark; the
// load itself goes through the load generator, never through this.
import { Agent, request } from 'node:http';
import type { RequestSigner } from './sigv4.js';

export interface CallResult {
  readonly status: number;
  readonly text: string;
  readonly json: Record<string, unknown>;
}

export class KmsCallError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly errorType: string,
    message: string,
  ) {
    super(`${operation} answered ${String(status)} ${errorType}: ${message}`);
  }
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

/** Sends raw headers and body; resolves with status and text (any status). */
export function sendRaw(
  endpoint: Endpoint,
  headers: Readonly<Record<string, string>>,
  body: string,
  path = '/',
): Promise<CallResult> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: endpoint.host, port: endpoint.port, method: 'POST', path, headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: Record<string, unknown> = {};
          try {
            json = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
          } catch {
            json = {};
          }
          resolve({ status: res.statusCode ?? 0, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Signs and sends one operation; throws KmsCallError on a non-2xx answer. */
export async function callKms(
  endpoint: Endpoint,
  signer: RequestSigner,
  operation: string,
  input: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const body = JSON.stringify(input);
  const headers = signer.sign({
    host: `${endpoint.host}:${String(endpoint.port)}`,
    target: `TrentService.${operation}`,
    body,
    date: new Date(),
  });
  const result = await sendRaw(endpoint, headers, body);
  if (result.status < 200 || result.status >= 300) {
    const errorType = typeof result.json.__type === 'string' ? result.json.__type : 'unknown';
    const message = typeof result.json.message === 'string' ? result.json.message : result.text;
    throw new KmsCallError(operation, result.status, errorType, message.slice(0, 200));
  }
  return result.json;
}

/** Runs `work` over `items` with at most `concurrency` calls in flight. */
export async function inParallel<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i] as T, i);
    }
  });
  await Promise.all(runners);
  return out;
}

export function destroyAgent(): void {
  agent.destroy();
}
