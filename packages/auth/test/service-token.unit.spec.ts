import { generateKeyPair, SignJWT } from 'jose';
import { AppError } from '@sanad/errors';
import { createTokenSigner, createTokenVerifier, type Caller } from '../src';

const caller: Caller = {
  userId: '3f1c0d7e-1111-4a4a-8b8b-123456789abc',
  role: 'coach',
  programmeIds: ['3f1c0d7e-1111-4a4a-8b8b-123456789abd'],
  employerId: null,
};

describe('service tokens (EdDSA)', () => {
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

  it('carries the caller to the service it was made for', async () => {
    const token = await createTokenSigner(keys.privateKey).sign(caller, 'placement');
    const verified = await createTokenVerifier(keys.publicKey, { audience: 'placement' }).verify(
      token,
    );
    expect(verified).toEqual(caller);
  });

  it('is refused by another service (audience)', async () => {
    const token = await createTokenSigner(keys.privateKey).sign(caller, 'placement');
    const verifier = createTokenVerifier(keys.publicKey, { audience: 'checkin' });
    expect(await rejection(verifier.verify(token))).toBe('token aud is not accepted');
  });

  it('is refused once expired', async () => {
    const token = await createTokenSigner(keys.privateKey, { ttlSeconds: -60 }).sign(
      caller,
      'placement',
    );
    const verifier = createTokenVerifier(keys.publicKey, { audience: 'placement' });
    expect(await rejection(verifier.verify(token))).toBe('token expired');
  });

  it('is refused when signed by another key or altered', async () => {
    const other = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const forged = await createTokenSigner(other.privateKey).sign(caller, 'placement');
    const verifier = createTokenVerifier(keys.publicKey, { audience: 'placement' });
    expect(await rejection(verifier.verify(forged))).toBe('token signature is invalid');

    const [header, , signature] = (
      await createTokenSigner(keys.privateKey).sign(caller, 'placement')
    ).split('.');
    const promoted = Buffer.from(
      JSON.stringify({ ...caller, role: 'admin', aud: 'placement' }),
    ).toString('base64url');
    expect(await rejection(verifier.verify(`${header}.${promoted}.${signature}`))).toBe(
      'token signature is invalid',
    );
  });

  it('is refused with another algorithm, even a valid HMAC one', async () => {
    const hmac = await new SignJWT({ role: 'admin', programmeIds: [], employerId: null })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(caller.userId)
      .setIssuer('sanad-web')
      .setAudience('placement')
      .setIssuedAt()
      .setExpirationTime('1m')
      .sign(new TextEncoder().encode('a shared secret that is long enough'));
    const verifier = createTokenVerifier(keys.publicKey, { audience: 'placement' });
    expect(await rejection(verifier.verify(hmac))).toBe('token algorithm is not accepted');
  });

  it('is refused when its claims are malformed', async () => {
    const odd = await new SignJWT({ role: 'superuser', programmeIds: [], employerId: null })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setSubject(caller.userId)
      .setIssuer('sanad-web')
      .setAudience('placement')
      .setIssuedAt()
      .setExpirationTime('1m')
      .sign(keys.privateKey);
    const verifier = createTokenVerifier(keys.publicKey, { audience: 'placement' });
    expect(await rejection(verifier.verify(odd))).toBe('token claims are malformed');
  });

  it('will not sign a caller with personal data or a bad role', async () => {
    const signer = createTokenSigner(keys.privateKey);
    await expect(signer.sign({ ...caller, email: 'a@b.c' } as Caller, 'placement')).rejects.toThrow(
      /email/,
    );
    await expect(
      signer.sign({ ...caller, role: 'root' } as unknown as Caller, 'placement'),
    ).rejects.toThrow(/role/);
  });
});
