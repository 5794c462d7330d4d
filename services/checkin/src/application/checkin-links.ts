import {
  checkLink,
  issueLink,
  type LinkPurpose,
  type LinkRecord,
  type LinkRefusal,
} from '@sanad/signed-links';
import { AppError } from '@sanad/errors';
import {
  checkinById,
  daysSince,
  type FollowUpPlan,
  type Invitation,
  type PlannedCheckin,
} from '../domain/follow-up-plan';
import type { CheckinLinkStore, FollowUpPlanRepository, InvitationSender } from './ports';

/**
 * The participant's and the supervisor's signed check-in links. When their check-in falls due, a
 * link bound to that one check-in is made (only its hash is kept here) and handed to the placement
 * service, which alone knows where to mail it. It lasts through the grace period and a few days
 * more, so a late answer still counts.
 */
export type CheckinLinkPurpose = Extract<LinkPurpose, 'participant-checkin' | 'supervisor-checkin'>;

export const purposeOf = (respondent: 'participant' | 'supervisor'): CheckinLinkPurpose =>
  respondent === 'participant' ? 'participant-checkin' : 'supervisor-checkin';

export interface CheckinLinkSettings {
  webBaseUrl: string;
  /** Days a link lasts after its check-in's grace period. */
  extraDays: number;
}

export interface CheckinInvitations {
  invite(plan: FollowUpPlan, checkin: PlannedCheckin, now: Date): Promise<Invitation>;
}

export function makeCheckinInvitations({
  links,
  sender,
  settings,
}: {
  links: CheckinLinkStore;
  /** Null when the check-in service has no key to call the placement service with. */
  sender: InvitationSender | null;
  settings: CheckinLinkSettings;
}): CheckinInvitations {
  return {
    async invite(plan, checkin, now) {
      const at = now.toISOString();
      if (checkin.respondent === 'coach') return { sent: false, reason: 'coach', at };
      // A check-in whose grace period was over before it could be asked (a placement confirmed
      // late) is missed already: asking now would only flood the person with old questions.
      if (daysSince(checkin.missAfter, now) >= 0) return { sent: false, reason: 'grace-over', at };
      if (!sender) return { sent: false, reason: 'mail-not-configured', at };
      const ttlDays = Math.max(1, -daysSince(checkin.missAfter, now) + settings.extraDays);
      const { secret, record } = issueLink(
        {
          placementId: plan.placementId,
          purpose: purposeOf(checkin.respondent),
          subjectId: checkin.checkinId,
          ttlDays,
          maxUses: 1,
        },
        now,
      );
      await links.save(record);
      const outcome = await sender.send({
        placementId: plan.placementId,
        checkinId: checkin.checkinId,
        respondent: checkin.respondent,
        milestoneDay: checkin.milestoneDay,
        url: `${settings.webBaseUrl.replace(/\/$/, '')}/c/${secret}`,
        expiresAt: record.expiresAt.toISOString(),
      });
      return outcome.sent
        ? { sent: true, language: outcome.language, at }
        : { sent: false, reason: outcome.reason, at };
    },
  };
}

export const linkRefused = (reason: LinkRefusal) =>
  new AppError('LINK_REFUSED', `this link cannot be used (${reason})`, { details: { reason } });

/** A check-in link as its holder may use it: the plan and the one check-in it answers. */
export interface OpenedCheckinLink {
  link: LinkRecord;
  plan: FollowUpPlan;
  checkin: PlannedCheckin & { respondent: 'participant' | 'supervisor' };
}

/**
 * The check-in a link's secret opens, or a 410 LINK_REFUSED saying why not: unknown, for another
 * purpose (an employer's link), revoked (consent withdrawn, placement ended), expired. A link whose
 * check-in is gone is unknown.
 */
export function makeOpenCheckinLink({
  links,
  plans,
}: {
  links: CheckinLinkStore;
  plans: FollowUpPlanRepository;
}) {
  return async (secret: string, now: Date): Promise<OpenedCheckinLink> => {
    const record = await links.find(secret);
    const purpose =
      record?.purpose === 'participant-checkin' || record?.purpose === 'supervisor-checkin'
        ? record.purpose
        : 'participant-checkin';
    const checked = checkLink(record, purpose, now);
    if (!checked.ok) throw linkRefused(checked.refusal);
    const plan = await plans.find(checked.record.placementId);
    const checkin =
      plan && checked.record.subjectId ? checkinById(plan, checked.record.subjectId) : undefined;
    // A link answers its own respondent's check-in only (a supervisor's link never a participant's).
    if (
      !plan ||
      !checkin ||
      checkin.respondent === 'coach' ||
      purposeOf(checkin.respondent) !== purpose
    )
      throw linkRefused('unknown');
    return {
      link: checked.record,
      plan,
      checkin: checkin as OpenedCheckinLink['checkin'],
    };
  };
}
