import { z } from 'zod';
import { createTokenSigner, createTokenVerifier, type Caller } from '../src';
import { generateServiceTokenKeys, PrivateKeyEnv, PublicKeyEnv } from '../src/keys';

const caller: Caller = {
  userId: '3f1c0d7e-1111-4a4a-8b8b-123456789abc',
  role: 'admin',
  programmeIds: [],
  employerId: null,
};

describe('service-token keys in the environment', () => {
  it('round-trips: a token signed with the private JWK verifies with the public JWK', async () => {
    const { privateJwk, publicJwk } = generateServiceTokenKeys();
    const token = await createTokenSigner(PrivateKeyEnv.parse(privateJwk)).sign(caller, 'web');
    const verifier = createTokenVerifier(PublicKeyEnv.parse(publicJwk), { audience: 'web' });
    expect(await verifier.verify(token)).toEqual(caller);
  });

  it('keeps the private half out of the public value', () => {
    const { publicJwk } = generateServiceTokenKeys();
    expect(Object.keys(JSON.parse(publicJwk) as object).sort()).toEqual(['crv', 'kty', 'x']);
  });

  it.each([
    ['not JSON', 'abc', 'an Ed25519 JWK as one line of JSON'],
    [
      'another curve',
      '{"kty":"EC","crv":"P-256","x":"a","y":"b"}',
      'an Ed25519 JWK (kty OKP, crv Ed25519)',
    ],
  ])('refuses %s with a message saying what is expected', (_case, value, message) => {
    const result = z.object({ KEY: PublicKeyEnv }).safeParse({ KEY: value });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(message);
  });

  it('refuses a private JWK where a public one is expected (no secrets in every service)', () => {
    const { privateJwk } = generateServiceTokenKeys();
    expect(z.object({ KEY: PublicKeyEnv }).safeParse({ KEY: privateJwk }).success).toBe(false);
  });
});
