import { jwtVerify, SignJWT, type KeyLike } from 'jose';
import { AppError } from '@sanad/errors';
import { SERVICE_TOKEN_ALG, tokenErrorReason } from './service-token';

/**
 * Service-to-service ("peer") tokens: one service calling another on its own behalf, not for a
 * user (the check-in service asking the placement service to mail an invitation). Each calling
 * service holds its own Ed25519 key, so a peer token is never signed with the web app's key, and
 * its header type sets it apart: a web user's token is refused even if the keys were mixed up.
 */
export const PEER_TOKEN_TYPE = 'sanad-peer+jwt';

export interface PeerTokenSigner {
  /** A token for one service (`audience`: "placement", ...). */
  sign(audience: string): Promise<string>;
}

export interface PeerTokenSignerOptions {
  /** Who signs: `sanad-checkin`. */
  issuer: string;
  /** Which service calls: `checkin`. */
  subject: string;
  /** Lifetime of a token; a minute unless told otherwise. */
  ttlSeconds?: number;
}

export function createPeerTokenSigner(
  privateKey: KeyLike | Uint8Array,
  { issuer, subject, ttlSeconds = 60 }: PeerTokenSignerOptions,
): PeerTokenSigner {
  return {
    async sign(audience) {
      return new SignJWT({})
        .setProtectedHeader({ alg: SERVICE_TOKEN_ALG, typ: PEER_TOKEN_TYPE })
        .setSubject(subject)
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(privateKey);
    },
  };
}

export interface PeerTokenVerifier {
  /** The calling service the token names, or an UNAUTHENTICATED AppError saying what was wrong. */
  verify(token: string): Promise<{ subject: string }>;
}

export interface PeerTokenVerifierOptions {
  /** The one issuer accepted: `sanad-checkin`. */
  issuer: string;
  /** This service: `placement`. */
  audience: string;
  clockToleranceSeconds?: number;
}

/**
 * Checks the signature (EdDSA only), the peer header type, issuer, audience and expiry (with a few
 * seconds of clock tolerance), as the service tokens are checked.
 */
export function createPeerTokenVerifier(
  publicKey: KeyLike | Uint8Array,
  { issuer, audience, clockToleranceSeconds = 5 }: PeerTokenVerifierOptions,
): PeerTokenVerifier {
  return {
    async verify(token) {
      let subject: unknown;
      try {
        ({
          payload: { sub: subject },
        } = await jwtVerify(token, publicKey, {
          algorithms: [SERVICE_TOKEN_ALG],
          typ: PEER_TOKEN_TYPE,
          issuer,
          audience,
          clockTolerance: clockToleranceSeconds,
          requiredClaims: ['sub', 'exp', 'iat'],
        }));
      } catch (error) {
        throw new AppError('UNAUTHENTICATED', tokenErrorReason(error), { cause: error });
      }
      if (typeof subject !== 'string' || !/^[a-z][a-z0-9-]{0,39}$/.test(subject)) {
        throw new AppError('UNAUTHENTICATED', 'token claims are malformed');
      }
      return { subject };
    },
  };
}
