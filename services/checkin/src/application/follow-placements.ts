import { knownScope } from '@sanad/auth';
import {
  causedBy,
  changeOf,
  type PlacementChangedV1,
  type PlacementConfirmedV1,
  type PlacementConsentChangedV1,
  type PlacementEndedV1,
  type PlacementRecordedV1,
} from '@sanad/contracts';
import {
  confirmPlan,
  emptyPlan,
  endPlan,
  isLaterCoachChange,
  learnTerms,
  recordedScope,
  replan,
  type FollowUpPlan,
} from '../domain/follow-up-plan';
import { scheduledEvents } from './checkin-events';
import { dueJobOf, jobIdsOf } from './follow-up-jobs';
import type {
  CheckinLinkStore,
  Clock,
  FollowUpPlanRepository,
  FollowUpScheduler,
  OutboxNotifier,
  PolicyRepository,
} from './ports';

export interface FollowPlacementsDeps {
  plans: FollowUpPlanRepository;
  policies: PolicyRepository;
  scheduler: FollowUpScheduler;
  links: CheckinLinkStore;
  outbox: OutboxNotifier;
  clock: Clock;
}

/**
 * What the placement events mean for follow-up. Recorded: keep the placement's scope, consents and
 * terms. Confirmed: plan its check-ins by its programme's policy and schedule their jobs. Changed:
 * a new coach, new terms, or a new start date (the check-ins not yet due move). Ended: cancel what
 * is left. Consents changed: keep them (check-ins falling due honour them; links stop when they are
 * withdrawn). Every handler is repeatable: a redelivered event changes nothing more.
 */
export function makeFollowPlacements(deps: FollowPlacementsDeps) {
  const { plans, policies, scheduler, links, outbox, clock } = deps;
  const nudge = (placementId: string) =>
    outbox.nudge({ collection: 'follow_up_plans', id: placementId });
  const orEmpty = (plan: FollowUpPlan | null, placementId: string) =>
    plan ?? emptyPlan(placementId);
  /** The policy of the placement's programme (the default while its programme is not known). */
  const policyOf = async (placementId: string) =>
    policies.get(knownScope((await plans.find(placementId))?.scope)?.programmeId);

  async function recorded(event: PlacementRecordedV1): Promise<void> {
    const { placementId, coachId, employerId, programmeId, consents, jobTitle, hoursPerWeek } =
      event.data;
    await plans.mutate(placementId, (stored) => {
      const plan = orEmpty(stored, placementId);
      const scope = recordedScope(
        { coachId, employerId, programmeId },
        plan.coachChangedAt ? (plan.scope.coachId ?? null) : null,
      );
      const terms = plan.status === 'awaiting-confirmation' ? { jobTitle, hoursPerWeek } : {};
      return {
        next: {
          ...learnTerms(plan, terms),
          scope,
          // Consents of a later change, kept already, win over those the placement was recorded with.
          consents: plan.consentsChangedAt ? plan.consents : (consents ?? plan.consents),
        },
        result: undefined,
      };
    });
  }

  async function confirmed(event: PlacementConfirmedV1): Promise<void> {
    const { placementId, terms, accommodations } = event.data;
    const now = clock.now();
    const policy = await policyOf(placementId);
    const { plan } = await plans.mutate(placementId, (stored) => {
      const decided = confirmPlan(
        orEmpty(stored, placementId),
        {
          startDate: terms.startDate,
          terms: { jobTitle: terms.jobTitle, hoursPerWeek: terms.hoursPerWeek, accommodations },
        },
        policy.policy,
        policy.version,
      );
      return {
        next: decided.plan,
        events: scheduledEvents(decided.plan, decided.scheduled, causedBy(event, 'checkin'), now),
        result: undefined,
      };
    });
    nudge(placementId);
    // Every check-in still scheduled gets its job (again): one already there is left as it is, so
    // a confirmation redelivered after a crash between the write and the jobs repairs them.
    if (plan) {
      await scheduler.schedule(
        plan.checkins
          .filter((c) => c.status === 'scheduled' && plan.status === 'open')
          .map((c) => dueJobOf(plan, c, now, event.correlationId)),
      );
    }
  }

  async function changed(event: PlacementChangedV1): Promise<void> {
    const { placementId, changes } = event.data;
    const now = clock.now();
    const coach = changeOf(changes, 'coachId');
    const start = changeOf(changes, 'startDate');
    const hours = changeOf(changes, 'hoursPerWeek');
    const role = changeOf(changes, 'jobTitle');
    const accommodations = changeOf(changes, 'accommodations');
    // The programme's policy re-plans a new start date; nothing else needs it.
    const policy = start ? await policyOf(placementId) : null;
    const { result: moved } = await plans.mutate(placementId, (stored) => {
      let plan = learnTerms(orEmpty(stored, placementId), {
        ...(hours ? { hoursPerWeek: hours.after } : {}),
        ...(role ? { jobTitle: role.after } : {}),
        ...(accommodations ? { accommodations: accommodations.after } : {}),
      });
      const changedAt = new Date(event.occurredAt);
      if (
        coach &&
        isLaterCoachChange(changedAt, plan.coachChangedAt ? new Date(plan.coachChangedAt) : null)
      ) {
        plan = {
          ...plan,
          scope: { ...plan.scope, coachId: coach.after },
          coachChangedAt: changedAt.toISOString(),
        };
      }
      let replanned = null;
      if (start && policy && plan.status === 'open' && plan.startDate !== start.after) {
        replanned = replan(plan, start.after, policy.policy, policy.version);
        plan = replanned.plan;
      }
      // A start date changed before the confirmation: the plan is made from the confirmed one.
      const changedSomething =
        stored === null || !!hours || !!role || !!accommodations || !!coach || !!replanned;
      return {
        next: changedSomething ? plan : null,
        events: replanned
          ? scheduledEvents(plan, replanned.scheduled, causedBy(event, 'checkin'), now)
          : [],
        result: replanned,
      };
    });
    if (moved) {
      nudge(placementId);
      await scheduler.cancel(moved.cancelled.flatMap((c) => jobIdsOf(moved.plan, c)));
      await scheduler.reschedule(
        moved.scheduled.map((c) => dueJobOf(moved.plan, c, now, event.correlationId)),
      );
    }
  }

  async function ended(event: PlacementEndedV1): Promise<void> {
    const { placementId, endDate } = event.data;
    const { result: cancelled, plan } = await plans.mutate(placementId, (stored) => {
      const decided = endPlan(orEmpty(stored, placementId), endDate);
      return {
        next: decided.cancelled.length > 0 || stored?.status !== 'ended' ? decided.plan : null,
        result: decided.cancelled,
      };
    });
    const now = clock.now();
    await links.revokeAll(placementId, 'participant-checkin', now);
    await links.revokeAll(placementId, 'supervisor-checkin', now);
    if (plan) await scheduler.cancel(cancelled.flatMap((c) => jobIdsOf(plan, c)));
  }

  async function consentsChanged(event: PlacementConsentChangedV1): Promise<boolean> {
    const { placementId, consents, changedAt } = event.data;
    const at = new Date(changedAt);
    const { result: stored } = await plans.mutate(placementId, (current) => {
      const plan = orEmpty(current, placementId);
      const keptAt = plan.consentsChangedAt ? Date.parse(plan.consentsChangedAt) : -1;
      if (keptAt > at.getTime()) return { result: false }; // a later change is kept already
      return {
        next: { ...plan, consents: { ...consents }, consentsChangedAt: at.toISOString() },
        result: true,
      };
    });
    if (stored) {
      const now = clock.now();
      if (!consents.followUp) await links.revokeAll(placementId, 'participant-checkin', now);
      if (!consents.employerContact) await links.revokeAll(placementId, 'supervisor-checkin', now);
    }
    return stored;
  }

  return { recorded, confirmed, changed, ended, consentsChanged };
}

export type FollowPlacements = ReturnType<typeof makeFollowPlacements>;
