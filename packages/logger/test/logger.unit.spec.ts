import { Writable } from 'node:stream';
import { createLogger, moduleLogger, withCorrelationId } from '../src';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { lines, destination };
}

describe('logger', () => {
  it('puts the correlation id on every line written inside a unit of work', () => {
    const { lines, destination } = capture();
    const log = moduleLogger(createLogger({ service: 'test', destination }), 'relay');
    withCorrelationId('corr-1', () => {
      log.info('one');
      log.warn({ placementId: 'p1' }, 'two');
    });
    log.info('outside');
    expect(lines.map((l) => [l.msg, l.correlationId, l.module])).toEqual([
      ['one', 'corr-1', 'relay'],
      ['two', 'corr-1', 'relay'],
      ['outside', undefined, 'relay'],
    ]);
  });

  it('censors personal fields even when code passes them by mistake', () => {
    const { lines, destination } = capture();
    const log = createLogger({ service: 'test', destination });
    log.info({ participant: { name: 'Aisha', phone: '+968 9000' }, email: 'a@b.c' }, 'oops');
    const text = JSON.stringify(lines[0]);
    expect(text).not.toContain('Aisha');
    expect(text).not.toContain('+968');
    expect(text).not.toContain('a@b.c');
    expect(text).toContain('[redacted]');
  });
});
