import express, { Router, type RequestHandler } from 'express';
import type { PeerTokenVerifier } from '@sanad/auth';
import { AppError } from '@sanad/errors';
import { validateBody } from '@sanad/service-kit';
import type { SendCheckinInvitation } from '../application/checkin-invitations';
import { CheckinInvitationBody } from './internal-invitations.schemas';
import { publicRoutes } from './routes';

// RFC 6750 b64token; the scheme is case-insensitive (as the service-token check reads it).
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * Requires the check-in service's peer token. The web app's user tokens are refused here (another
 * key, issuer and token type): a user cannot have mail sent in the programme's name. Without a
 * key configured the route is closed, and says so (503), rather than open.
 */
export function requirePeerToken(verifier: PeerTokenVerifier | null): RequestHandler {
  return async (req, res, next) => {
    if (!verifier) {
      throw new AppError(
        'DEPENDENCY_UNAVAILABLE',
        'check-in invitations are not configured: CHECKIN_TOKEN_PUBLIC_KEY is not set',
      );
    }
    const header = req.header('authorization');
    const token = header === undefined ? undefined : BEARER.exec(header)?.[1];
    if (token === undefined) {
      throw new AppError(
        'UNAUTHENTICATED',
        header === undefined
          ? "the check-in service's token is required (Authorization: Bearer <token>)"
          : 'the Authorization header is not "Bearer <token>"',
      );
    }
    res.locals.peer = await verifier.verify(token);
    next();
  };
}

/**
 * Routes other services call on their own behalf, each with its own token check. They sit before
 * the users' token check (which would refuse a peer token), so they parse their own body, and only
 * once the caller is known.
 */
export function internalInvitationRoutes({
  verifier,
  sendCheckinInvitation,
}: {
  verifier: PeerTokenVerifier | null;
  sendCheckinInvitation: SendCheckinInvitation;
}): Router {
  const router = Router();
  router.post(
    publicRoutes.sendCheckinInvitation.path,
    requirePeerToken(verifier),
    express.json({ limit: '8kb', strict: true }),
    validateBody(CheckinInvitationBody),
    async (req, res) => {
      const body = req.body as CheckinInvitationBody;
      const outcome = await sendCheckinInvitation({
        ...body,
        expiresAt: new Date(body.expiresAt),
        correlationId: res.locals.correlationId as string,
      });
      res.json(outcome);
    },
  );
  return router;
}
