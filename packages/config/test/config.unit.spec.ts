import { z } from 'zod';
import { CommonEnv, ConfigError, parseEnv, Port } from '../src';

describe('parseEnv', () => {
  const Schema = CommonEnv.extend({ PORT: Port });

  it('fills defaults for the local servers and parses lists and numbers', () => {
    const config = parseEnv(Schema, { PORT: '4001' });
    expect(config.PORT).toBe(4001);
    expect(config.KAFKA_BROKERS).toEqual(['127.0.0.1:19092']);
    expect(config.MONGO_URL).toBe('mongodb://127.0.0.1:27018');
  });

  it('names every bad key in one error', () => {
    const env = { PORT: 'eighty', KAFKA_BROKERS: 'nope', MONGO_URL: 'http://x', LOG_LEVEL: 'loud' };
    let error: unknown;
    try {
      parseEnv(Schema, env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const keys = (error as ConfigError).problems.map((p) => p.key.split('.')[0]).sort();
    expect(keys).toEqual(['KAFKA_BROKERS', 'LOG_LEVEL', 'MONGO_URL', 'PORT']);
    expect((error as Error).message).toContain('PORT');
  });

  it('splits a broker list', () => {
    const config = parseEnv(z.object({ B: CommonEnv.shape.KAFKA_BROKERS }), {
      B: '127.0.0.1:1, 127.0.0.1:2',
    });
    expect(config.B).toEqual(['127.0.0.1:1', '127.0.0.1:2']);
  });
});

describe('values from files (<KEY>_FILE)', () => {
  const Schema = z.object({ SECRET: z.string().min(3), PORT: Port.default(1) });
  const { mkdtempSync, writeFileSync } = jest.requireActual<typeof import('node:fs')>('node:fs');
  const { join } = jest.requireActual<typeof import('node:path')>('node:path');
  const { tmpdir } = jest.requireActual<typeof import('node:os')>('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'sanad-config-'));

  it('reads the value from the file, without its trailing newline', () => {
    writeFileSync(join(dir, 'secret'), 'from-a-file\n');
    expect(parseEnv(Schema, { SECRET_FILE: join(dir, 'secret') }).SECRET).toBe('from-a-file');
  });

  it('prefers the variable itself when both are set', () => {
    writeFileSync(join(dir, 'secret'), 'from-a-file');
    expect(parseEnv(Schema, { SECRET: 'direct', SECRET_FILE: join(dir, 'secret') }).SECRET).toBe(
      'direct',
    );
  });

  it('names the _FILE key when the file cannot be read', () => {
    expect(() => parseEnv(Schema, { SECRET_FILE: join(dir, 'missing') })).toThrow(
      /SECRET_FILE: cannot read/,
    );
  });
});
