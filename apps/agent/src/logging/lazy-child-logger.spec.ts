import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { lazyChildLogger } from './lazy-child-logger';

function capturingLogger(level: string): { logger: pino.Logger; lines: () => Record<string, unknown>[] } {
  const written: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      written.push(chunk.toString());
      done();
    },
  });
  const logger = pino({ level, base: null }, stream);
  return { logger, lines: () => written.join('').trimEnd().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('lazyChildLogger', () => {
  it('writes its bindings with every line, asking for them once, only when a line is written', () => {
    const { logger, lines } = capturingLogger('info');
    let asked = 0;
    const log = lazyChildLogger(logger, () => {
      asked += 1;
      return { monitorId: 'mon_1', jobId: 'j1' };
    });
    log.debug({ status: 'up' }, 'check done');
    expect(asked).toBe(0);
    expect(log.isLevelEnabled('debug')).toBe(false);
    log.warn({ lateMs: 5 }, 'check dropped');
    log.error({ resultJobId: 'r1' }, 'result lost');
    expect(asked).toBe(1);
    expect(lines()).toEqual([
      expect.objectContaining({ level: 40, monitorId: 'mon_1', jobId: 'j1', lateMs: 5, msg: 'check dropped' }),
      expect.objectContaining({ level: 50, monitorId: 'mon_1', jobId: 'j1', resultJobId: 'r1', msg: 'result lost' }),
    ]);
  });

  it('writes nothing below the parent level', () => {
    const { logger, lines } = capturingLogger('error');
    const log = lazyChildLogger(logger, () => ({ jobId: 'j1' }));
    log.info({}, 'skipped');
    log.warn({}, 'dropped');
    expect(lines()).toEqual([]);
  });
});
