import type { KeyObject } from 'node:crypto';
import { createPeerTokenSigner, ServiceAudiences } from '@sanad/auth';
import { CheckinInvitationOutcome } from '@sanad/contracts';
import { AppError, type FieldProblem } from '@sanad/errors';
import { currentCorrelationId } from '@sanad/logger';
import type { InvitationOutcome, InvitationRequest, InvitationSender } from '../application/ports';

export type { InvitationOutcome, InvitationRequest, InvitationSender };

/**
 * Asks the placement service to mail a check-in's link to the participant or their supervisor.
 * This service holds no names or addresses: placement does, and decides (consent, contact,
 * language). Each request carries a one-minute token signed with this service's own key.
 */

/** The peer token's issuer and subject, as placement checks them (api.md). */
export const CHECKIN_TOKEN_ISSUER = 'sanad-checkin';
export const CHECKIN_TOKEN_SUBJECT = 'checkin';

export const INVITATION_PATH = '/internal/checkin-invitations';

export interface InvitationSenderSettings {
  /** PLACEMENT_URL. */
  placementUrl: string;
  /** CHECKIN_TOKEN_PRIVATE_KEY, imported. */
  privateKey: KeyObject;
  /** Per request (default 10 s: placement waits for the SMTP server). */
  timeoutMs?: number;
}

interface ErrorAnswer {
  error?: { code?: string; message?: string; problems?: FieldProblem[] };
}

export function createInvitationSender({
  placementUrl,
  privateKey,
  timeoutMs = 10_000,
}: InvitationSenderSettings): InvitationSender {
  const signer = createPeerTokenSigner(privateKey, {
    issuer: CHECKIN_TOKEN_ISSUER,
    subject: CHECKIN_TOKEN_SUBJECT,
  });
  const endpoint = `${placementUrl.replace(/\/+$/, '')}${INVITATION_PATH}`;

  return {
    async send(request) {
      const token = await signer.sign(ServiceAudiences.placement);
      const correlationId = currentCorrelationId();
      let res: Response;
      try {
        res = await fetch(endpoint, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            'content-type': 'application/json',
            ...(correlationId ? { 'x-correlation-id': correlationId } : {}),
          },
          body: JSON.stringify(request),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw new AppError(
          'DEPENDENCY_UNAVAILABLE',
          `placement service unreachable at ${placementUrl}: ${(error as Error).name}`,
          { cause: error },
        );
      }
      const text = await res.text().catch(() => '');
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      const said = (body as ErrorAnswer | undefined)?.error?.message;
      const status = `placement service answered ${res.status}${said ? `: ${said}` : ''}`;

      if (res.status === 200) {
        const outcome = CheckinInvitationOutcome.safeParse(body);
        if (outcome.success) return outcome.data;
        throw new AppError(
          'DEPENDENCY_UNAVAILABLE',
          'placement service answered 200 with a body that is not an invitation outcome',
        );
      }
      if (res.status === 401) {
        throw new AppError(
          'UNAUTHENTICATED',
          `${status} (is CHECKIN_TOKEN_PRIVATE_KEY the pair of placement's CHECKIN_TOKEN_PUBLIC_KEY?)`,
        );
      }
      if (res.status === 404) throw AppError.notFound('placement');
      if (res.status === 400) {
        const problems = (body as ErrorAnswer | undefined)?.error?.problems ?? [];
        throw new AppError('VALIDATION_FAILED', status, { details: { problems } });
      }
      // 503 (placement not configured, or a dependency down), other 5xx, anything unexpected
      throw new AppError('DEPENDENCY_UNAVAILABLE', status);
    },
  };
}
