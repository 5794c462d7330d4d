import { randomUUID, type KeyObject } from 'node:crypto';
import {
  createPeerTokenSigner,
  createTokenSigner,
  generateServiceTokenKeys,
  PrivateKeyEnv,
  PublicKeyEnv,
  type Caller,
  type Role,
} from '@sanad/auth';

export interface TestTokenKeys {
  /** SERVICE_TOKEN_PRIVATE_KEY / SERVICE_TOKEN_PUBLIC_KEY values (one-line JWKs). */
  privateJwk: string;
  publicJwk: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/**
 * The service-token key pair of this test process (jest: of this test file), made at first import:
 * services started by the test get the public half through `serviceTestEnv`, and `bearerFor` signs
 * with the private one.
 */
export const testTokenKeys: TestTokenKeys = (() => {
  const { privateJwk, publicJwk } = generateServiceTokenKeys();
  return {
    privateJwk,
    publicJwk,
    privateKey: PrivateKeyEnv.parse(privateJwk),
    publicKey: PublicKeyEnv.parse(publicJwk),
  };
})();

/**
 * A caller with fresh ids: a programme manager gets one programme, an employer user one employer,
 * the others none; `overrides` replaces any field.
 */
export function testCaller(role: Role, overrides: Partial<Omit<Caller, 'role'>> = {}): Caller {
  return {
    userId: randomUUID(),
    role,
    programmeIds: role === 'programme-manager' ? [randomUUID()] : [],
    employerId: role === 'employer-user' ? randomUUID() : null,
    ...overrides,
  };
}

export interface BearerOptions {
  /** Lifetime; negative makes an expired token (default 60 s, as the web app makes them). */
  ttlSeconds?: number;
  /** Sign with another key (a forged token); default the test key. */
  privateKey?: KeyObject;
  issuer?: string;
}

/** The `Authorization` header value for `caller` calling the service `audience`. */
export async function bearerFor(
  caller: Caller,
  audience: string,
  { ttlSeconds = 60, privateKey = testTokenKeys.privateKey, issuer }: BearerOptions = {},
): Promise<string> {
  const signer = createTokenSigner(privateKey, { ttlSeconds, ...(issuer ? { issuer } : {}) });
  return `Bearer ${await signer.sign(caller, audience)}`;
}

/** `{ authorization }` headers for a fetch as `caller` to the service `audience`. */
export async function authHeaders(
  caller: Caller,
  audience: string,
  options: BearerOptions = {},
): Promise<{ authorization: string }> {
  return { authorization: await bearerFor(caller, audience, options) };
}

/**
 * The check-in service's own key pair of this test process (CHECKIN_TOKEN_PRIVATE_KEY /
 * CHECKIN_TOKEN_PUBLIC_KEY): it signs the peer tokens with which it asks the placement service to
 * mail invitations. Another pair than `testTokenKeys`, as in a deployment.
 */
export const testCheckinTokenKeys: TestTokenKeys = (() => {
  const { privateJwk, publicJwk } = generateServiceTokenKeys();
  return {
    privateJwk,
    publicJwk,
    privateKey: PrivateKeyEnv.parse(privateJwk),
    publicKey: PublicKeyEnv.parse(publicJwk),
  };
})();

export interface PeerBearerOptions {
  /** Lifetime; negative makes an expired token (default 60 s). */
  ttlSeconds?: number;
  /** Sign with another key (a forged token); default the test check-in key. */
  privateKey?: KeyObject;
  /** Default `sanad-checkin`. */
  issuer?: string;
  /** Default `checkin`. */
  subject?: string;
}

/** The `Authorization` header value of the check-in service calling the service `audience`. */
export async function peerBearerFor(
  audience: string,
  {
    ttlSeconds = 60,
    privateKey = testCheckinTokenKeys.privateKey,
    issuer = 'sanad-checkin',
    subject = 'checkin',
  }: PeerBearerOptions = {},
): Promise<string> {
  const signer = createPeerTokenSigner(privateKey, { issuer, subject, ttlSeconds });
  return `Bearer ${await signer.sign(audience)}`;
}
