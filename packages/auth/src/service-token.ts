import { errors, jwtVerify, SignJWT, type KeyLike } from 'jose';
import { AppError } from '@sanad/errors';
import { Caller } from './claims';

/** Tokens are signed with Ed25519 (JWS "EdDSA") and live for a minute unless told otherwise. */
export const SERVICE_TOKEN_ALG = 'EdDSA';
export const SERVICE_TOKEN_ISSUER = 'sanad-web';

export interface TokenSigner {
  /** A token for one service (`audience`: "placement", "checkin", ...). */
  sign(caller: Caller, audience: string): Promise<string>;
}

export function createTokenSigner(
  privateKey: KeyLike | Uint8Array,
  { ttlSeconds = 60, issuer = SERVICE_TOKEN_ISSUER }: { ttlSeconds?: number; issuer?: string } = {},
): TokenSigner {
  return {
    async sign(caller, audience) {
      const { userId, ...claims } = Caller.parse(caller);
      return new SignJWT({ ...claims })
        .setProtectedHeader({ alg: SERVICE_TOKEN_ALG, typ: 'JWT' })
        .setSubject(userId)
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(privateKey);
    },
  };
}

export interface TokenVerifier {
  /** The caller the token names, or an UNAUTHENTICATED AppError saying what was wrong. */
  verify(token: string): Promise<Caller>;
}

/**
 * Each service verifies for itself: signature (EdDSA only), issuer, its own audience, expiry (with
 * a few seconds of clock tolerance), and the shape of the claims.
 */
export function createTokenVerifier(
  publicKey: KeyLike | Uint8Array,
  {
    audience,
    issuer = SERVICE_TOKEN_ISSUER,
    clockToleranceSeconds = 5,
  }: { audience: string; issuer?: string; clockToleranceSeconds?: number },
): TokenVerifier {
  return {
    async verify(token) {
      let payload: Record<string, unknown>;
      try {
        ({ payload } = await jwtVerify(token, publicKey, {
          algorithms: [SERVICE_TOKEN_ALG],
          issuer,
          audience,
          clockTolerance: clockToleranceSeconds,
          requiredClaims: ['sub', 'exp', 'iat'],
        }));
      } catch (error) {
        throw new AppError('UNAUTHENTICATED', tokenErrorReason(error), { cause: error });
      }
      const caller = Caller.safeParse({
        userId: payload.sub,
        role: payload.role,
        programmeIds: payload.programmeIds,
        employerId: payload.employerId,
      });
      if (!caller.success) throw new AppError('UNAUTHENTICATED', 'token claims are malformed');
      return caller.data;
    },
  };
}

/** Why jose refused a token, in words a 401 may carry (no token content). */
export function tokenErrorReason(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'token expired';
  if (error instanceof errors.JWTClaimValidationFailed)
    return `token ${error.claim} is not accepted`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'token signature is invalid';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'token algorithm is not accepted';
  return 'token is invalid';
}
