import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { lazyChildLogger } from './lazy-logger.js';

/** A pino logger (as Trent configures it) whose lines are collected, without timestamps. */
function collectingLogger(level = 'info') {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8').trim());
      done();
    },
  });
  const logger = pino(
    { level, timestamp: false, base: null, redact: ['*.Plaintext', '*.plaintext'] },
    stream,
  );
  return { logger, lines };
}

describe('lazyChildLogger', () => {
  it('writes exactly what the pino child with the same bindings writes', () => {
    const lazy = collectingLogger();
    const eager = collectingLogger();
    const bindings = { reqId: 'r-1' };
    const a = lazyChildLogger(lazy.logger, bindings, {});
    const b = eager.logger.child(bindings, {});
    for (const log of [a, b]) {
      log.error({ requestId: 'r-1', input: { Plaintext: 'c2VjcmV0' } }, 'internal error');
      log.info('plain %s message', 'formatted');
      log.warn({ err: new Error('boom') }, 'with error');
      log.debug('not at this level');
      log.child({ extra: 1 }).info('from a grandchild');
    }
    expect(lazy.lines).toHaveLength(4);
    expect(lazy.lines).toEqual(eager.lines);
    expect(lazy.lines[0]).toContain('"reqId":"r-1"');
    expect(lazy.lines[0]).toContain('[Redacted]');
    expect(lazy.lines.join('\n')).not.toContain('c2VjcmV0');
  });

  it('makes the pino child only when the request first logs', () => {
    const { logger } = collectingLogger();
    let children = 0;
    const parent = new Proxy(logger, {
      get(target, name, receiver) {
        if (name === 'child') {
          return (...args: Parameters<typeof logger.child>) => {
            children++;
            return target.child(...args);
          };
        }
        return Reflect.get(target, name, receiver) as unknown;
      },
    });
    const log = lazyChildLogger(parent, { reqId: 'r-2' }, {});
    expect(log.level).toBe('info');
    expect(children).toBe(0);
    log.error('first');
    log.error('second');
    expect(children).toBe(1);
  });

  it('reports and changes its level as the child would', () => {
    const { logger, lines } = collectingLogger('warn');
    const log = lazyChildLogger(logger, { reqId: 'r-3' }, { level: 'error' });
    expect(log.level).toBe('error');
    log.warn('dropped');
    log.level = 'debug';
    expect(log.level).toBe('debug');
    log.debug('kept');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('"msg":"kept"');
    expect(logger.level).toBe('warn');
  });
});
