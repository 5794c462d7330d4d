import { KeyObject } from 'node:crypto';
import { ConfigError } from '@sanad/config';
import { testTokenKeys } from '@sanad/testing';
import { loadConfig } from '../src/config';

describe('the service-token key in the config', () => {
  it('is required: the service will not start without it', () => {
    expect(() => loadConfig({})).toThrow(ConfigError);
    expect(() => loadConfig({})).toThrow(/SERVICE_TOKEN_PUBLIC_KEY/);
  });

  it('is refused when it is the private key, naming the variable', () => {
    expect(() => loadConfig({ SERVICE_TOKEN_PUBLIC_KEY: testTokenKeys.privateJwk })).toThrow(
      /SERVICE_TOKEN_PUBLIC_KEY: an Ed25519 JWK/,
    );
  });

  it('is imported once, at start, into a public key', () => {
    const config = loadConfig({ SERVICE_TOKEN_PUBLIC_KEY: testTokenKeys.publicJwk });
    expect(config.SERVICE_TOKEN_PUBLIC_KEY).toBeInstanceOf(KeyObject);
    expect(config.SERVICE_TOKEN_PUBLIC_KEY.type).toBe('public');
  });
});
