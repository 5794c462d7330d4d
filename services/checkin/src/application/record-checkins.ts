import { createHash, randomUUID } from 'node:crypto';
import { knownScope, maySeePlacement, type Caller } from '@sanad/auth';
import {
  deterministicUuid,
  ParticipantAnswers,
  SupervisorAnswers,
  type CoachAnswers,
} from '@sanad/contracts';
import { AppError } from '@sanad/errors';
import { parseOrThrow } from '@sanad/service-kit';
import { recordAnswers, type RecordOutcome } from '../domain/checkin-lifecycle';
import type { CheckinRecord, FollowUpPlan } from '../domain/follow-up-plan';
import type { ContactType } from '../domain/follow-up-policy';
import { scoreCoach, scoreParticipant, scoreSupervisor } from '../domain/scoring';
import { completedEvent, contextOf } from './checkin-events';
import type { OpenedCheckinLink } from './checkin-links';
import type { Clock, FollowUpPlanRepository, OutboxNotifier } from './ports';
import type { AuditPurpose } from '@sanad/audit';
import type { AuditTrail } from '@sanad/service-kit';

/** A record as it is shown: notes only to programme staff. */
export type CheckinRecordView = Omit<CheckinRecord, 'digest' | 'idempotencyKey' | 'recordedBy'> & {
  recordedBy: 'coach' | 'link';
};

export function recordView(record: CheckinRecord, caller: Caller | null): CheckinRecordView {
  const { digest: _digest, idempotencyKey: _key, notes, recordedBy, ...shown } = record;
  const staff = caller !== null && caller.role !== 'employer-user';
  return {
    ...shown,
    recordedBy: recordedBy === 'link' ? 'link' : 'coach',
    ...(staff && notes !== undefined ? { notes } : {}),
  };
}

/** A digest of what was submitted, independent of key order. */
export function digestOf(value: unknown): string {
  const stable = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(stable)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v as object)
              .sort()
              .map((k) => [k, stable((v as Record<string, unknown>)[k])]),
          )
        : v;
  return createHash('sha256')
    .update(JSON.stringify(stable(value)))
    .digest('hex');
}

const scoringContext = (plan: FollowUpPlan) => ({
  contractedHours: plan.terms.hoursPerWeek,
  accommodationsAgreed: plan.terms.accommodations.length > 0,
});

type LinkAnswers =
  | { respondent: 'participant'; answers: ParticipantAnswers }
  | { respondent: 'supervisor'; answers: SupervisorAnswers };

export interface CoachSubmission {
  caller: Caller;
  purpose: AuditPurpose;
  placementId: string;
  checkinId?: string;
  contactType: ContactType;
  twoWay: boolean;
  answers: CoachAnswers;
  notes?: string;
  idempotencyKey?: string;
  correlationId: string;
}

export type Recorded = { status: 201 | 200; record: CheckinRecord };

/**
 * Answers are recorded: from the coach (a visit, a call or a message; only a two-way contact
 * completes a check-in), or from the holder of a participant's or supervisor's link. The record,
 * the check-in it completes and checkin.completed (scores and flags, never text) are one write.
 */
export function makeRecordCheckins({
  plans,
  outbox,
  clock,
  audit,
}: {
  plans: FollowUpPlanRepository;
  outbox: OutboxNotifier;
  clock: Clock;
  audit: Pick<AuditTrail, 'record' | 'recordLinkUse'>;
}) {
  async function store(
    placementId: string,
    build: (plan: FollowUpPlan) => CheckinRecord,
    correlationId: string,
    allowed: (plan: FollowUpPlan) => boolean,
    recordAccess: (record: CheckinRecord) => Promise<void>,
  ): Promise<Recorded> {
    const now = clock.now();
    const { result } = await plans.mutate<RecordOutcome | null>(placementId, (plan) => {
      if (!plan || !allowed(plan)) return { result: null };
      const outcome = recordAnswers(plan, build(plan));
      if (outcome.kind !== 'recorded') return { result: outcome };
      return {
        next: outcome.plan,
        events: [completedEvent(outcome.plan, outcome.record, contextOf(correlationId, null), now)],
        result: outcome,
      };
    });
    if (!result) throw AppError.notFound('placement');
    switch (result.kind) {
      case 'recorded':
        outbox.nudge({ collection: 'follow_up_plans', id: placementId });
        await recordAccess(result.record);
        return { status: 201, record: result.record };
      case 'replayed':
        return { status: 200, record: result.record };
      case 'refused':
        throw refusal(result.reason);
    }
  }

  async function byCoach(submission: CoachSubmission): Promise<Recorded> {
    const { caller, placementId } = submission;
    const recordedAt = clock.now().toISOString();
    const submitted = {
      checkinId: submission.checkinId ?? null,
      contactType: submission.contactType,
      twoWay: submission.twoWay,
      answers: submission.answers,
      notes: submission.notes ?? null,
    };
    return store(
      placementId,
      (plan) => {
        const scored = scoreCoach(submission.answers, scoringContext(plan));
        return {
          recordId: recordIdOf(placementId, submission.idempotencyKey),
          checkinId: submission.checkinId ?? null,
          milestoneDay: null,
          respondent: 'coach',
          channel: submission.contactType,
          twoWay: submission.twoWay,
          recordedAt,
          recordedBy: caller.userId,
          answers: submission.answers as Record<string, unknown>,
          ...scored,
          ...(submission.notes ? { notes: submission.notes } : {}),
          ...(submission.idempotencyKey ? { idempotencyKey: submission.idempotencyKey } : {}),
          digest: digestOf(submitted),
        };
      },
      submission.correlationId,
      // An employer user never records a coach's contact; hidden as if not there.
      (plan) => caller.role !== 'employer-user' && maySeePlacement(caller, knownScope(plan.scope)),
      (record) =>
        audit.record(
          { caller, purpose: submission.purpose, correlationId: submission.correlationId },
          'create',
          { type: 'check-in', id: record.recordId },
        ),
    );
  }

  async function byLink(
    opened: OpenedCheckinLink,
    body: unknown,
    idempotencyKey: string | undefined,
    correlationId: string,
  ): Promise<Recorded> {
    const { checkin, plan } = opened;
    const recordedAt = clock.now().toISOString();
    const raw = (body as { answers?: unknown } | null)?.answers;
    // Each respondent has their own questions; the answers are scored against the terms as the
    // plan knows them when they are stored.
    const linkAnswers: LinkAnswers =
      checkin.respondent === 'participant'
        ? { respondent: 'participant', answers: parseOrThrow(ParticipantAnswers, raw, 'answers') }
        : { respondent: 'supervisor', answers: parseOrThrow(SupervisorAnswers, raw, 'answers') };
    return store(
      plan.placementId,
      (current) => {
        const scored =
          linkAnswers.respondent === 'participant'
            ? scoreParticipant(linkAnswers.answers, scoringContext(current))
            : scoreSupervisor(linkAnswers.answers, scoringContext(current));
        return {
          recordId: recordIdOf(plan.placementId, idempotencyKey ?? `link:${checkin.checkinId}`),
          checkinId: checkin.checkinId,
          milestoneDay: checkin.milestoneDay,
          respondent: checkin.respondent,
          channel: 'web-link',
          twoWay: true,
          recordedAt,
          recordedBy: 'link',
          answers: linkAnswers.answers as Record<string, unknown>,
          ...scored,
          ...(idempotencyKey ? { idempotencyKey } : {}),
          digest: digestOf({ checkinId: checkin.checkinId, answers: linkAnswers.answers }),
        };
      },
      correlationId,
      () => true,
      (record) =>
        audit.recordLinkUse('create', { type: 'check-in', id: record.recordId }, correlationId),
    );
  }

  return { byCoach, byLink };
}

const recordIdOf = (placementId: string, idempotencyKey: string | undefined) =>
  idempotencyKey ? deterministicUuid(`record:${placementId}:${idempotencyKey}`) : randomUUID();

function refusal(reason: Exclude<RecordOutcome, { kind: 'recorded' | 'replayed' }>['reason']) {
  switch (reason) {
    case 'not-a-checkin':
      return AppError.validation([
        {
          path: 'checkinId',
          message: 'not a check-in of this placement for this respondent',
          code: 'not-a-checkin',
        },
      ]);
    case 'placement-ended':
      return AppError.conflict('the placement has ended: no more check-ins are recorded', {
        reason,
      });
    case 'already-completed':
      return AppError.conflict('this check-in was answered already', { reason });
    case 'key-reused':
      return AppError.conflict('this Idempotency-Key was used for other answers', { reason });
    case 'not-open':
      return AppError.conflict('this check-in is no longer asked (cancelled or skipped)', {
        reason,
      });
  }
}

export type RecordCheckins = ReturnType<typeof makeRecordCheckins>;
