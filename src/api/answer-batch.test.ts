import { createServer, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { AnswerBatch, type AnswerSink } from './answer-batch.js';

function recordingSink(log: string[], name: string): AnswerSink {
  return {
    end(body: string) {
      log.push(`${name}:${body}`);
    },
  };
}

describe('AnswerBatch', () => {
  it('writes nothing during the turn, then every queued answer in the order queued', async () => {
    const log: string[] = [];
    const batch = new AnswerBatch();
    batch.end(recordingSink(log, 'a'), '1');
    batch.end(recordingSink(log, 'b'), '2');
    await Promise.resolve(); // microtasks of this turn: still nothing sent
    batch.end(recordingSink(log, 'c'), '3');
    expect(log).toEqual([]);
    expect(batch.size).toBe(3);
    await nextTurn();
    expect(log).toEqual(['a:1', 'b:2', 'c:3']);
    expect(batch.size).toBe(0);
  });

  it('sends an answer queued after a flush in the next turn', async () => {
    const log: string[] = [];
    const batch = new AnswerBatch();
    batch.end(recordingSink(log, 'a'), '1');
    await nextTurn();
    batch.end(recordingSink(log, 'b'), '2');
    expect(log).toEqual(['a:1']);
    await nextTurn();
    expect(log).toEqual(['a:1', 'b:2']);
  });

  it('keeps sending the rest when one response throws', async () => {
    const log: string[] = [];
    const batch = new AnswerBatch();
    batch.end(recordingSink(log, 'a'), '1');
    batch.end(
      {
        end() {
          throw new Error('socket gone');
        },
      },
      'x',
    );
    batch.end(recordingSink(log, 'c'), '3');
    await nextTurn();
    expect(log).toEqual(['a:1', 'c:3']);
    expect(batch.size).toBe(0);
  });

  it('answers real HTTP requests, and a client that left before its answer harms no one', async () => {
    const batch = new AnswerBatch();
    let abandoned: ServerResponse | undefined;
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        if (req.url === '/leave') {
          abandoned = res;
          // The client is gone by the time this answer is queued and flushed.
          req.socket.destroy();
        }
        batch.end(res, `answer ${req.url ?? ''}`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const get = (path: string) =>
      new Promise<string>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path, method: 'POST' }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => {
            resolve(text);
          });
        });
        req.on('error', reject);
        req.end('body');
      });
    try {
      const left = get('/leave').then(
        () => 'answered',
        () => 'failed',
      );
      const answers = await Promise.all([get('/one'), get('/two'), get('/three')]);
      expect(answers).toEqual(['answer /one', 'answer /two', 'answer /three']);
      expect(await left).toBe('failed');
      expect(abandoned?.destroyed).toBe(true);
      // The server still serves after the abandoned answer was flushed.
      expect(await get('/after')).toBe('answer /after');
    } finally {
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
    }
  });
});
