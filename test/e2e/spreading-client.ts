// A client for a server of several workers: a new connection per request, so that the kernel spreads
// the requests over the workers, noting which worker answered each (the x-trent-worker header).
import { Agent } from 'node:http';
import { KMSClient } from '@aws-sdk/client-kms';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { RunningTrent } from './process.js';

export function spreadingClient(trent: RunningTrent): { kms: KMSClient; answeredBy: string[] } {
  const answeredBy: string[] = [];
  const kms = new KMSClient({
    endpoint: trent.url,
    region: 'us-east-1',
    credentials: trent.kms.config.credentials,
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: false }) }),
  });
  kms.middlewareStack.add(
    (next) => async (args) => {
      const out = await next(args);
      const headers = (out.response as { headers?: Record<string, string> }).headers ?? {};
      answeredBy.push(headers['x-trent-worker'] ?? 'none');
      return out;
    },
    { step: 'deserialize', name: 'noteWorker' },
  );
  return { kms, answeredBy };
}
