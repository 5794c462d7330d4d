import { KeyObject } from 'node:crypto';
import { testCheckinTokenKeys, testTokenKeys } from '@sanad/testing';
import { loadConfig } from '../src/config';

const base = { SERVICE_TOKEN_PUBLIC_KEY: testTokenKeys.publicJwk };

describe('the settings of check-in invitations', () => {
  it('are optional, with defaults: no key means no invitation is sent', () => {
    const config = loadConfig(base);
    expect(config.CHECKIN_TOKEN_PRIVATE_KEY).toBeUndefined();
    expect(config.PLACEMENT_URL).toBe('http://127.0.0.1:4101');
    expect(config.WEB_BASE_URL).toBe('http://127.0.0.1:4100');
    expect(config.CHECKIN_LINK_EXTRA_DAYS).toBe(7);
  });

  it('import the private key once, at start', () => {
    const config = loadConfig({
      ...base,
      CHECKIN_TOKEN_PRIVATE_KEY: testCheckinTokenKeys.privateJwk,
    });
    expect(config.CHECKIN_TOKEN_PRIVATE_KEY).toBeInstanceOf(KeyObject);
    expect(config.CHECKIN_TOKEN_PRIVATE_KEY?.type).toBe('private');
  });

  it('refuse a public key as the private one, and extra days out of 1..60, naming them', () => {
    expect(() =>
      loadConfig({ ...base, CHECKIN_TOKEN_PRIVATE_KEY: testCheckinTokenKeys.publicJwk }),
    ).toThrow(/CHECKIN_TOKEN_PRIVATE_KEY: an Ed25519 JWK/);
    expect(() => loadConfig({ ...base, CHECKIN_LINK_EXTRA_DAYS: '61' })).toThrow(
      /CHECKIN_LINK_EXTRA_DAYS/,
    );
    expect(() => loadConfig({ ...base, PLACEMENT_URL: 'ftp://x' })).toThrow(/PLACEMENT_URL/);
  });
});
