import type { Logger } from '@sanad/logger';
import {
  employerConfirmationMail,
  employerReportMail,
  type MailMessage,
  type RenderedMail,
} from '@sanad/mail';
import {
  checkLink,
  issueLink,
  type LinkPurpose,
  type LinkRecord,
  type LinkRefusal,
} from '@sanad/signed-links';
import { maySeePlacement } from '@sanad/auth';
import { AppError } from '@sanad/errors';
import type { WriteLocks } from '@sanad/messaging';
import { keyUsed } from '../domain/command-keys';
import { confirmationContactOf, supervisorsOf, type Employer } from '../domain/employer';
import { consentFlags, type Participant } from '../domain/participant';
import type { Placement } from '../domain/placement';
import type { EmployerRepository } from './employer-ports';
import type {
  AccessContext,
  AuditTrail,
  Clock,
  ParticipantRepository,
  PlacementRepository,
} from './ports';

/**
 * The employer's signed links: made when a placement is recorded (to confirm it) and when it is
 * confirmed (to report changes and its end later), mailed to the employer's contact, and checked
 * when they come back. Only the mail holds the secret; the store keeps its hash.
 */

/** The employer purposes of a signed link. */
export type EmployerLinkPurpose = Extract<LinkPurpose, 'confirm-placement' | 'report-change'>;

export interface EmployerLinkStore {
  save(record: LinkRecord): Promise<void>;
  find(secret: string): Promise<LinkRecord | null>;
  /** Revokes the placement's live links of a purpose, but the one whose hash is `except`. */
  revokeAll(placementId: string, purpose: LinkPurpose, now: Date, except?: string): Promise<number>;
}

export interface MailSender {
  send(message: MailMessage): Promise<unknown>;
}

export interface EmployerLinkSettings {
  /** Where the web app answers: the link is `<webBaseUrl>/e/<secret>`. */
  webBaseUrl: string;
  confirmTtlDays: number;
  reportTtlDays: number;
}

/** What became of a link to send: sent (to whom, until when), or why not. */
export type EmployerLinkOutcome =
  | { sent: true; purpose: EmployerLinkPurpose; contactId: string; expiresAt: string }
  | {
      sent: false;
      purpose: EmployerLinkPurpose;
      reason: 'no-consent' | 'no-contact' | 'mail-not-configured' | 'mail-failed';
    };

/** The placement's employer and participant, when the caller has just read them (null: none). */
export interface KnownRecords {
  employer?: Employer | null;
  participant?: Participant | null;
  /** The placement was just recorded: it has no older link to revoke. */
  first?: boolean;
}

/** What the holder of a link sees: the placement, its employer and whom it is about. */
export interface OpenedLink {
  purpose: EmployerLinkPurpose;
  expiresAt: string;
  placement: Placement;
  employer: { id: string; name: string; supervisors: { id: string; fullName: string }[] };
  participant: { fullName: string | null };
}

export interface EmployerLinkDeps {
  links: EmployerLinkStore;
  employers: Pick<EmployerRepository, 'findById'>;
  placements: Pick<PlacementRepository, 'findById'>;
  participants: Pick<ParticipantRepository, 'findById'>;
  audit: Pick<AuditTrail, 'record' | 'recordLinkUse'>;
  /** One link sent at a time per placement (so that a double resend leaves one link alive). */
  locks: WriteLocks;
  /** null when no SMTP server is configured: links are then not made (their secret would be lost). */
  mailer: MailSender | null;
  clock: Clock;
  settings: EmployerLinkSettings;
  logger: Logger;
}

/** The link a placement's state calls for: confirm it while recorded, then report changes. */
export function purposeFor(placement: Placement): EmployerLinkPurpose {
  if (placement.status === 'ended') {
    throw AppError.conflict('the placement has ended: the employer has nothing more to report');
  }
  return placement.status === 'recorded' ? 'confirm-placement' : 'report-change';
}

/** Whether a link of this purpose still has something to do for the placement in this state. */
export const linkStillUseful = (purpose: LinkPurpose, placement: Placement): boolean =>
  purpose === 'confirm-placement' ? placement.status === 'recorded' : placement.status !== 'ended';

const refused = (reason: LinkRefusal) =>
  new AppError('LINK_REFUSED', `this link cannot be used (${reason})`, { details: { reason } });

export function makeEmployerLinks(deps: EmployerLinkDeps) {
  const { links, employers, placements, participants, audit, locks, mailer, clock, settings } =
    deps;
  const log = deps.logger.child({ module: 'employer-links' });

  function mailFor(
    purpose: EmployerLinkPurpose,
    placement: Placement,
    employer: Employer,
    contact: NonNullable<ReturnType<typeof confirmationContactOf>>,
    link: string,
    expiresAt: Date,
  ): RenderedMail {
    const common = {
      locale: contact.preferredLanguage,
      organisationName: employer.name,
      contactName: contact.fullName,
      jobTitle: placement.terms.jobTitle,
      link,
      expiresAt,
    };
    return purpose === 'confirm-placement'
      ? employerConfirmationMail({ ...common, startDate: placement.terms.startDate })
      : employerReportMail(common);
  }

  /**
   * Makes the link the placement's state calls for, revokes the older ones of that purpose (a
   * resend makes the old mail useless) and mails it to the employer's contact. Never throws for a
   * mail that could not be sent: the placement is stored, and a coach can send it again.
   */
  async function send(
    placement: Placement,
    known: KnownRecords = {},
  ): Promise<EmployerLinkOutcome> {
    const purpose = purposeFor(placement);
    if (!mailer) return { sent: false, purpose, reason: 'mail-not-configured' };
    try {
      return await locks.run('signed_links', placement.id, () =>
        issueAndMail(placement, purpose, mailer, known),
      );
    } catch (error) {
      // the SMTP answer may name the recipient: only its codes go to the log
      const { name, code, responseCode } = error as Record<string, unknown>;
      log.warn(
        { err: { name, code, responseCode }, placementId: placement.id, purpose },
        'employer link not sent',
      );
      return { sent: false, purpose, reason: 'mail-failed' };
    }
  }

  async function issueAndMail(
    placement: Placement,
    purpose: EmployerLinkPurpose,
    mailer: MailSender,
    known: KnownRecords,
  ): Promise<EmployerLinkOutcome> {
    const [employer, participant] = await Promise.all([
      known.employer !== undefined ? known.employer : employers.findById(placement.employerId),
      known.participant !== undefined
        ? known.participant
        : participants.findById(placement.participantId),
    ]);
    // the employer is contacted about the participant only with their consent
    if (participant && !consentFlags(participant).employerContact) {
      return { sent: false, purpose, reason: 'no-consent' };
    }
    const contact = employer ? confirmationContactOf(employer) : null;
    if (!employer || !contact?.email) return { sent: false, purpose, reason: 'no-contact' };
    const now = clock.now();
    const { secret, record } = issueLink(
      {
        placementId: placement.id,
        purpose,
        ttlDays: purpose === 'confirm-placement' ? settings.confirmTtlDays : settings.reportTtlDays,
        // Uses are not counted (the package's `use`): the placement's state decides instead, so
        // that a form sent back with a mistake can be sent again. A confirmation link is spent
        // once the placement is confirmed, a report link once it has ended (`linkStillUseful`).
        maxUses: 1,
      },
      now,
    );
    await links.save(record);
    // the page opens in the language the mail is written in
    const url = `${settings.webBaseUrl.replace(/\/+$/, '')}/e/${secret}?lang=${contact.preferredLanguage}`;
    const mail = mailFor(purpose, placement, employer, contact, url, record.expiresAt);
    await mailer.send({ to: contact.email, ...mail, kind: `employer-${purpose}` });
    // only once the new link is on its way do the older ones stop (none yet for a new placement)
    if (!known.first) await links.revokeAll(placement.id, purpose, now, record.hash);
    return {
      sent: true,
      purpose,
      contactId: contact.id,
      expiresAt: record.expiresAt.toISOString(),
    };
  }

  /**
   * The placement a link stands for, if it may be used now for this purpose. A retry of what the
   * link already did (the same Idempotency-Key) passes, so that it answers as the first time did.
   */
  async function resolve(secret: string, purpose?: EmployerLinkPurpose, idempotencyKey?: string) {
    const record = await links.find(secret);
    const checked = checkLink(
      record,
      purpose ?? record?.purpose ?? 'confirm-placement',
      clock.now(),
    );
    if (!checked.ok) throw refused(checked.refusal);
    const linkPurpose = checked.record.purpose;
    if (linkPurpose !== 'confirm-placement' && linkPurpose !== 'report-change') {
      throw refused('wrong-purpose');
    }
    const placement = await placements.findById(checked.record.placementId);
    if (!placement) throw refused('unknown');
    // consent to contact the employer withdrawn since the link went out: it stops working
    const participant = await participants.findById(placement.participantId);
    if (participant && !consentFlags(participant).employerContact) throw refused('revoked');
    const retry = idempotencyKey !== undefined && keyUsed(placement.commandKeys, idempotencyKey);
    if (!retry && !linkStillUseful(linkPurpose, placement)) throw refused('used-up');
    return { record: checked.record, purpose: linkPurpose, placement, participant };
  }

  return {
    send,
    resolve,

    /**
     * A coach (or their manager, or an admin) sends the employer the link again: older links of
     * that purpose stop working once the new one is mailed. Employer users may see the placement
     * but not do this (403); to anyone else it does not exist (404).
     */
    async resend({ context, placementId }: { context: AccessContext; placementId: string }) {
      const placement = await placements.findById(placementId);
      if (!placement || !maySeePlacement(context.caller, placement)) {
        throw AppError.notFound('placement');
      }
      if (context.caller.role === 'employer-user') {
        throw new AppError('FORBIDDEN', 'the programme sends the employer links');
      }
      const outcome = await send(placement);
      if (outcome.sent)
        await audit.record(context, 'update', { type: 'placement', id: placementId });
      return outcome;
    },

    /** What the link's form shows; the participant's name is read, so the read is audited. */
    async open(secret: string, correlationId: string): Promise<OpenedLink> {
      const { record, purpose, placement, participant } = await resolve(secret);
      const employer = await employers.findById(placement.employerId);
      await audit.recordLinkUse(
        'read',
        { type: 'participant', id: placement.participantId },
        correlationId,
      );
      return {
        purpose,
        expiresAt: record.expiresAt.toISOString(),
        placement,
        employer: {
          id: placement.employerId,
          name: employer?.name ?? '',
          supervisors: employer
            ? supervisorsOf(employer).map((c) => ({ id: c.id, fullName: c.fullName }))
            : [],
        },
        participant: { fullName: participant?.fullName ?? null },
      };
    },
  };
}

export type EmployerLinks = ReturnType<typeof makeEmployerLinks>;
