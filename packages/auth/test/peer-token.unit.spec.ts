import { generateKeyPair } from 'jose';
import { AppError } from '@sanad/errors';
import { createPeerTokenSigner, createPeerTokenVerifier, createTokenSigner } from '../src';

const signerOptions = { issuer: 'sanad-checkin', subject: 'checkin' };
const verifierOptions = { issuer: 'sanad-checkin', audience: 'placement' };

describe('peer tokens (service to service, EdDSA)', () => {
  let keys: Awaited<ReturnType<typeof generateKeyPair>>;
  beforeAll(async () => {
    keys = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  });

  const rejection = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('UNAUTHENTICATED');
    return (error as AppError).message;
  };
  const verifier = () => createPeerTokenVerifier(keys.publicKey, verifierOptions);

  it('names the calling service to the service it was made for', async () => {
    const token = await createPeerTokenSigner(keys.privateKey, signerOptions).sign('placement');
    expect(await verifier().verify(token)).toEqual({ subject: 'checkin' });
  });

  it('is refused from another issuer', async () => {
    const token = await createPeerTokenSigner(keys.privateKey, {
      ...signerOptions,
      issuer: 'sanad-alerting',
    }).sign('placement');
    expect(await rejection(verifier().verify(token))).toBe('token iss is not accepted');
  });

  it('is refused by another service (audience)', async () => {
    const token = await createPeerTokenSigner(keys.privateKey, signerOptions).sign('alerting');
    expect(await rejection(verifier().verify(token))).toBe('token aud is not accepted');
  });

  it('is refused once expired', async () => {
    const token = await createPeerTokenSigner(keys.privateKey, {
      ...signerOptions,
      ttlSeconds: -60,
    }).sign('placement');
    expect(await rejection(verifier().verify(token))).toBe('token expired');
  });

  it('is refused when signed by another key', async () => {
    const other = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const forged = await createPeerTokenSigner(other.privateKey, signerOptions).sign('placement');
    expect(await rejection(verifier().verify(forged))).toBe('token signature is invalid');
  });

  it("refuses a web user's service token, even one signed with the same key", async () => {
    const caller = {
      userId: '3f1c0d7e-1111-4a4a-8b8b-123456789abc',
      role: 'admin' as const,
      programmeIds: [],
      employerId: null,
    };
    const sameIssuer = await createTokenSigner(keys.privateKey, { issuer: 'sanad-checkin' }).sign(
      caller,
      'placement',
    );
    expect(await rejection(verifier().verify(sameIssuer))).toBe('token typ is not accepted');
    const webToken = await createTokenSigner(keys.privateKey).sign(caller, 'placement');
    expect(await rejection(verifier().verify(webToken))).toMatch(/not accepted/);
  });

  it('is refused when it is not a token at all', async () => {
    expect(await rejection(verifier().verify('not-a-token'))).toBe('token is invalid');
  });
});
