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

describe("the check-in service's own signing key and links in the config", () => {
  const base = { SERVICE_TOKEN_PUBLIC_KEY: testTokenKeys.publicJwk };

  it('is optional: without it the service starts (invitations are then not mailed)', () => {
    const config = loadConfig(base);
    expect(config.CHECKIN_TOKEN_PRIVATE_KEY).toBeUndefined();
    expect(config.PLACEMENT_URL).toBe('http://127.0.0.1:4101');
    expect(config.CHECKIN_LINK_EXTRA_DAYS).toBe(7);
  });

  it('is imported once, at start, into a private key', () => {
    const config = loadConfig({ ...base, CHECKIN_TOKEN_PRIVATE_KEY: testTokenKeys.privateJwk });
    expect(config.CHECKIN_TOKEN_PRIVATE_KEY).toBeInstanceOf(KeyObject);
    expect(config.CHECKIN_TOKEN_PRIVATE_KEY?.type).toBe('private');
  });

  it('is refused when it is a public key, naming the variable', () => {
    expect(() =>
      loadConfig({ ...base, CHECKIN_TOKEN_PRIVATE_KEY: testTokenKeys.publicJwk }),
    ).toThrow(/CHECKIN_TOKEN_PRIVATE_KEY/);
  });

  it('refuses a link lifetime out of range and a placement URL that is not http, naming them', () => {
    expect(() => loadConfig({ ...base, CHECKIN_LINK_EXTRA_DAYS: '0' })).toThrow(
      /CHECKIN_LINK_EXTRA_DAYS/,
    );
    expect(() => loadConfig({ ...base, PLACEMENT_URL: 'ftp://placement' })).toThrow(
      /PLACEMENT_URL/,
    );
  });
});
