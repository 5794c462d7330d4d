import { mayAssignCaseload } from '@sanad/auth';
import { AppError } from '@sanad/errors';
import { coachChangedEvents, pendingCoaches, reassignCoach } from '../domain/caseload';
import type { Participant } from '../domain/participant';
import { visibleParticipant } from './find-participants';
import type {
  AccessContext,
  AuditTrail,
  Clock,
  OutboxNotifier,
  ParticipantRepository,
  PlacementRepository,
} from './ports';

export interface ReassignCoachDeps {
  participants: ParticipantRepository;
  placements: PlacementRepository;
  audit: AuditTrail;
  clock: Clock;
  /** The relay of the participants' outboxes. */
  fanOut: OutboxNotifier;
}

export interface ReassignCoachRequest {
  context: AccessContext;
  participantId: string;
  coachId: string;
  /** The participant's version the caller decided on; a later one is a conflict. */
  expectedVersion?: number;
}

/**
 * An admin, or a manager of the participant's programme, moves them to another coach's caseload,
 * with their placements that have not ended. As for a consent change, the participant's new coach
 * and one placement.changed per placement to move are ONE write of the participant (the events wait
 * in its outbox); a relay then moves each event into its placement's outbox, setting the placement's
 * coach in that same write, and the placement's own relay publishes it in order with its other
 * events. Killed between any two steps, the relays redo the rest; a placement takes a change once.
 */
export function makeReassignCoach({
  participants,
  placements,
  audit,
  clock,
  fanOut,
}: ReassignCoachDeps) {
  return async ({
    context,
    participantId,
    coachId,
    expectedVersion,
  }: ReassignCoachRequest): Promise<{ participant: Participant; changed: boolean }> => {
    const seen = await visibleParticipant(participants, context.caller, participantId);
    if (!mayAssignCaseload(context.caller, seen)) {
      throw new AppError(
        'FORBIDDEN',
        'only an admin or a manager of their programme may move a participant to another coach',
      );
    }
    // A request that cannot succeed is refused before it is recorded (checked again below, under
    // the participant's write lock, in case the participant changes meanwhile).
    reassignCoach(seen, coachId, { now: clock.now(), expectedVersion });
    await audit.record(context, 'update', { type: 'participant', id: participantId });
    let changed = false;
    const stored = await participants.update(participantId, async (current, pending) => {
      const now = clock.now();
      const decision = reassignCoach(current, coachId, { now, expectedVersion });
      if (!decision.changed) return null;
      changed = true;
      const events = coachChangedEvents(
        decision.participant,
        pendingCoaches(await placements.ofParticipant(participantId), pending),
        { producer: 'placement', correlationId: context.correlationId, causationId: null },
        now,
      );
      return { participant: decision.participant, events };
    });
    if (!stored) throw AppError.notFound('participant');
    if (changed) fanOut.nudge();
    return { participant: stored, changed };
  };
}
