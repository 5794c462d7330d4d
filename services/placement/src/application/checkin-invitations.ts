import type { AuditInput } from '@sanad/audit';
import type { CheckinInvitationOutcome, InvitationNotSentReason } from '@sanad/contracts';
import { AppError } from '@sanad/errors';
import type { Logger } from '@sanad/logger';
import { participantCheckinMail, supervisorCheckinMail, type RenderedMail } from '@sanad/mail';
import { supervisorsOf, type Employer, type EmployerContact } from '../domain/employer';
import { consentFlags, type Language, type Participant } from '../domain/participant';
import type { Placement } from '../domain/placement';
import type { MailSender } from './employer-links';
import type { EmployerRepository } from './employer-ports';
import type { ParticipantRepository, PlacementRepository } from './ports';

/**
 * The check-in service asks for a check-in's link to be mailed to the participant or their
 * supervisor. It holds no names or addresses: this service does, so it decides whether the person
 * may be written to (their consent), finds the address and the language, and sends the mail.
 */

export type InvitationRespondent = 'participant' | 'supervisor';

export interface CheckinInvitationRequest {
  placementId: string;
  checkinId: string;
  respondent: InvitationRespondent;
  milestoneDay: number;
  /** The signed link to the check-in form, made by the check-in service. */
  url: string;
  expiresAt: Date;
  correlationId: string;
}

/** Sent (in which language), or why not: the check-in service records it on the check-in. */
export type InvitationOutcome = CheckinInvitationOutcome;

/** What the use case needs of the audit log: one record, written before the address is used. */
export interface InvitationAudit {
  record(input: AuditInput): Promise<unknown>;
}

export interface CheckinInvitationDeps {
  placements: Pick<PlacementRepository, 'findById'>;
  participants: Pick<ParticipantRepository, 'findById'>;
  employers: Pick<EmployerRepository, 'findById'>;
  /** null when no SMTP server is configured. */
  mailer: MailSender | null;
  audit: InvitationAudit;
  logger: Logger;
}

/** Whom to write to, in which language, and the mail: or why nobody. */
type Recipient =
  | { ok: true; email: string; language: Language; mail: RenderedMail }
  | { ok: false; reason: InvitationNotSentReason };

/** Arabic unless the person chose otherwise: the language most participants read. */
const DEFAULT_LANGUAGE: Language = 'ar';

/**
 * The check-in service makes the link without a language (it does not know the person's): the
 * mailed link carries it, `?lang=<ar|en>`, so the form opens in the language the mail is in.
 */
export function linkInLanguage(url: string, language: Language): string {
  const link = new URL(url);
  link.searchParams.set('lang', language);
  return link.toString();
}

export function participantRecipient(
  participant: Participant | null,
  request: Pick<CheckinInvitationRequest, 'url' | 'expiresAt' | 'milestoneDay'>,
): Recipient {
  // no participant, or one erased: nobody agreed to be followed up
  if (!participant || !consentFlags(participant).followUp)
    return { ok: false, reason: 'no-consent' };
  if (!participant.email) return { ok: false, reason: 'no-contact' };
  const language = participant.preferredLanguage ?? DEFAULT_LANGUAGE;
  return {
    ok: true,
    email: participant.email,
    language,
    mail: participantCheckinMail({
      language,
      ...request,
      url: linkInLanguage(request.url, language),
    }),
  };
}

export function supervisorRecipient(
  participant: Participant | null,
  placement: Placement,
  employer: Employer | null,
  request: Pick<CheckinInvitationRequest, 'url' | 'expiresAt' | 'milestoneDay'>,
): Recipient {
  // the employer hears about the participant only with their consent
  if (!participant || !consentFlags(participant).employerContact) {
    return { ok: false, reason: 'no-consent' };
  }
  const contact: EmployerContact | undefined =
    placement.supervisorId && employer
      ? supervisorsOf(employer).find((c) => c.id === placement.supervisorId)
      : undefined;
  // no supervisor named, one no longer among the employer's supervisors, one without an email, or
  // a participant pseudonymised (no name to ask about): nobody to write to
  if (!contact?.email || !participant.fullName) return { ok: false, reason: 'no-contact' };
  return {
    ok: true,
    email: contact.email,
    language: contact.preferredLanguage,
    mail: supervisorCheckinMail({
      language: contact.preferredLanguage,
      ...request,
      url: linkInLanguage(request.url, contact.preferredLanguage),
      participantName: participant.fullName,
      jobTitle: placement.terms.jobTitle,
    }),
  };
}

export function makeSendCheckinInvitation(deps: CheckinInvitationDeps) {
  const { placements, participants, employers, mailer, audit } = deps;
  const log = deps.logger.child({ module: 'checkin-invitations' });

  /** Audited as the system reading the participant's data for this purpose; no record, no mail. */
  async function recordUse(request: CheckinInvitationRequest, placement: Placement) {
    try {
      await audit.record({
        actor: { userId: null, role: 'system' },
        action: 'read',
        subject: { type: 'participant', id: placement.participantId },
        purpose: request.respondent === 'participant' ? 'follow-up' : 'employer-contact',
        correlationId: request.correlationId,
      });
    } catch (error) {
      throw new AppError(
        'DEPENDENCY_UNAVAILABLE',
        'the access could not be recorded in the audit log',
        { cause: error },
      );
    }
  }

  /**
   * Mails the invitation, or says why not. 404 for an unknown placement; a mail the SMTP server
   * refused is `mail-failed` (the check-in service decides whether to ask again).
   */
  return async function sendCheckinInvitation(
    request: CheckinInvitationRequest,
  ): Promise<InvitationOutcome> {
    const placement = await placements.findById(request.placementId);
    if (!placement) throw AppError.notFound('placement');
    const facts = {
      placementId: placement.id,
      checkinId: request.checkinId,
      respondent: request.respondent,
      milestoneDay: request.milestoneDay,
    };
    const done = (outcome: InvitationOutcome): InvitationOutcome => {
      // ids and the outcome only: never the address, the name or the link
      log.info({ ...facts, ...outcome }, outcome.sent ? 'invitation sent' : 'invitation not sent');
      return outcome;
    };
    if (placement.status === 'ended') return done({ sent: false, reason: 'placement-ended' });

    const participant = await participants.findById(placement.participantId);
    const mailFacts = {
      url: request.url,
      expiresAt: request.expiresAt,
      milestoneDay: request.milestoneDay,
    };
    const recipient =
      request.respondent === 'participant'
        ? participantRecipient(participant, mailFacts)
        : supervisorRecipient(
            participant,
            placement,
            await employers.findById(placement.employerId),
            mailFacts,
          );
    if (!recipient.ok) return done({ sent: false, reason: recipient.reason });
    if (!mailer) return done({ sent: false, reason: 'mail-not-configured' });

    await recordUse(request, placement);
    try {
      await mailer.send({
        to: recipient.email,
        ...recipient.mail,
        kind: `${request.respondent}-checkin`,
      });
    } catch (error) {
      // the SMTP answer may name the recipient: only its codes go to the log
      const { name, code, responseCode } = error as Record<string, unknown>;
      log.warn({ ...facts, err: { name, code, responseCode } }, 'invitation mail failed');
      return done({ sent: false, reason: 'mail-failed' });
    }
    return done({ sent: true, language: recipient.language });
  };
}

export type SendCheckinInvitation = ReturnType<typeof makeSendCheckinInvitation>;
