import express, { Router, type RequestHandler } from 'express';
import type { PeerTokenVerifier } from '@sanad/auth';
import { AppError } from '@sanad/errors';
import { bearerTokenOf, validateBody } from '@sanad/service-kit';
import type { SendCheckinInvitation } from '../application/checkin-invitations';
import { CheckinInvitationBody } from './internal-invitations.schemas';
import { publicRoutes } from './routes';

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
    res.locals.peer = await verifier.verify(bearerTokenOf(req, "the check-in service's token"));
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
