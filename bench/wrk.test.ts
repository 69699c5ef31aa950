import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWrkOutput, poolFile, rawRequest, runWrk, wrkVersion } from './wrk.js';

const request = (body: string, target: string) => ({
  headers: { host: '127.0.0.1', 'x-amz-target': target, 'content-type': 'application/json' },
  body,
});

describe('rawRequest', () => {
  it('writes the request line, the headers, a content-length in bytes and the body', () => {
    const raw = rawRequest(request('{"a":"é"}', 'TrentService.Encrypt')).toString('utf8');
    expect(raw).toBe(
      'POST / HTTP/1.1\r\nhost: 127.0.0.1\r\nx-amz-target: TrentService.Encrypt\r\n' +
        'content-type: application/json\r\ncontent-length: 10\r\n\r\n{"a":"é"}',
    );
  });

  it('refuses a header value with a line break', () => {
    expect(() => rawRequest({ headers: { x: 'a\r\nb: c' }, body: '' })).toThrow(/line break/);
  });
});

describe('poolFile', () => {
  it('prefixes each request with its byte length', () => {
    const pool = [request('{}', 'A'), request('{"b":1}', 'B')];
    const file = poolFile(pool);
    const first = rawRequest(pool[0]!);
    const second = rawRequest(pool[1]!);
    expect(file.toString('latin1')).toBe(
      `${String(first.length)}\n${first.toString('latin1')}${String(second.length)}\n${second.toString('latin1')}`,
    );
  });
});

describe('parseWrkOutput', () => {
  it('reads the JSON line among wrk’s own output', () => {
    const out =
      'Running 1s test @ http://127.0.0.1:1/\n  1 threads and 1 connections\n' +
      '{"requests":1000,"durationUs":500000,"connect":0,"read":1,"write":0,"status":3,"timeout":2,' +
      '"p50Us":150,"p90Us":300,"p99Us":1200,"maxUs":5000}\n';
    expect(parseWrkOutput(out)).toEqual({
      requests: 1000,
      durationSeconds: 0.5,
      statusErrors: 3,
      socketErrors: 3,
      latencyMs: { p50: 0.15, p90: 0.3, p99: 1.2 },
    });
  });

  it('fails when the figures are missing', () => {
    expect(() => parseWrkOutput('unable to connect')).toThrow(/no figures/);
  });
});

// wrk is a Debian package that CI installs (.ci/run): these tests run the real program.
describe('runWrk against a local server', () => {
  const seen = new Map<string, number>();
  const bodies = new Set<string>();
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target']);
      seen.set(target, (seen.get(target) ?? 0) + 1);
      bodies.add(body);
      res.writeHead(target === 'Bad' ? 400 : 200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  let url = '';
  let workDir = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/`;
    workDir = mkdtempSync(join(tmpdir(), 'trent-wrk-test-'));
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    rmSync(workDir, { recursive: true, force: true });
  });

  it('finds wrk on PATH', () => {
    expect(wrkVersion()).toMatch(/^wrk \S+/);
  });

  it('replays every request of the pool and stops on time', async () => {
    const pool = [
      request('{"n":1}', 'One'),
      request('{"n":2}', 'Two'),
      request('{"n":3}', 'Three'),
    ];
    const started = performance.now();
    const figures = await runWrk({
      url,
      connections: 4,
      durationSeconds: 0.4,
      threads: 2,
      workDir,
      pool,
    });
    const elapsed = (performance.now() - started) / 1000;
    expect(elapsed).toBeLessThan(1.5); // stopped by SIGINT, not by wrk's own whole-second duration
    expect(figures.requests).toBeGreaterThan(30);
    expect(figures.statusErrors + figures.socketErrors).toBe(0);
    expect([...seen.keys()].sort()).toEqual(['One', 'Three', 'Two']);
    expect(bodies).toEqual(new Set(['{"n":1}', '{"n":2}', '{"n":3}']));
    expect(figures.latencyMs.p50).toBeGreaterThan(0);
    expect(figures.latencyMs.p99).toBeGreaterThanOrEqual(figures.latencyMs.p50);
  });

  it('counts the run from when the pool is read, so a large pool still runs its full time', async () => {
    // About 40 MB: wrk takes a noticeable part of a second to read it before its clock starts.
    const large = Array.from({ length: 20_000 }, (_, i) =>
      request(JSON.stringify({ n: i, pad: 'x'.repeat(2000) }), 'Large'),
    );
    let loaded = 0;
    const figures = await runWrk({
      url,
      connections: 2,
      durationSeconds: 0.5,
      threads: 1,
      workDir,
      pool: large,
      onLoaded: () => {
        loaded++;
      },
    });
    expect(loaded).toBe(1);
    expect(figures.requests).toBeGreaterThan(0);
    expect(figures.statusErrors + figures.socketErrors).toBe(0);
    // wrk's own clock: the whole half second, not what was left of it after reading the pool.
    expect(figures.durationSeconds).toBeGreaterThanOrEqual(0.45);
  });

  it('counts non-2xx answers as errors', async () => {
    const figures = await runWrk({
      url,
      connections: 1,
      durationSeconds: 0.3,
      threads: 1,
      workDir,
      pool: [request('{}', 'Bad')],
    });
    expect(figures.requests).toBeGreaterThan(0);
    expect(figures.statusErrors).toBe(figures.requests);
  });
});
