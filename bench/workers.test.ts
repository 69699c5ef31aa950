import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RequestSigner } from './sigv4.js';
import { workerOf, workersAnswering, workersLabel, WORKER_HEADER } from './workers.js';

const signer = new RequestSigner(
  { accessKeyId: 'AKIAWORKERSTEST00000', secretAccessKey: 'workers-test-secret' },
  'us-east-1',
);

describe('workersLabel', () => {
  it('says worker or workers', () => {
    expect(workersLabel(1)).toBe('1 worker');
    expect(workersLabel(4)).toBe('4 workers');
  });
});

describe('workerOf', () => {
  it('reads a worker number and nothing else', () => {
    expect(workerOf('2')).toBe(2);
    expect(workerOf(['3', '4'])).toBe(3);
    expect(workerOf(undefined)).toBeUndefined();
    expect(workerOf('0')).toBeUndefined();
    expect(workerOf('two')).toBeUndefined();
    expect(workerOf('1.5')).toBeUndefined();
  });
});

describe('workersAnswering', () => {
  let server: Server | undefined;

  afterEach(async () => {
    if (server === undefined) return;
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
    server = undefined;
  });

  async function listen(handler: Parameters<typeof createServer>[1]): Promise<AddressInfo> {
    server = createServer(handler);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return server.address() as AddressInfo;
  }

  it('collects the distinct workers that answered, one connection per request', async () => {
    const sockets = new Set<unknown>();
    const address = await listen((req, res) => {
      sockets.add(req.socket);
      // Stands in for a cluster of three: the worker follows the connection, not the request.
      res.setHeader(WORKER_HEADER, String((sockets.size % 3) + 1));
      res.end('{}');
    });
    const seen = await workersAnswering({ host: '127.0.0.1', port: address.port }, signer, 6);
    expect(seen).toEqual([1, 2, 3]);
    expect(sockets.size).toBe(6);
  });

  it('finds none when the answers carry no worker header', async () => {
    const address = await listen((_req, res) => {
      res.end('{}');
    });
    expect(await workersAnswering({ host: '127.0.0.1', port: address.port }, signer, 3)).toEqual(
      [],
    );
  });
});
