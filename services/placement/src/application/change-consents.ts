import {
  changeConsents,
  consentChangedEvents,
  type ConsentPurpose,
  type Participant,
} from '../domain/participant';
import { visibleParticipant } from './find-participants';
import type {
  AccessContext,
  AuditTrail,
  Clock,
  OutboxNotifier,
  ParticipantRepository,
  PlacementRepository,
} from './ports';

export interface ChangeConsentsDeps {
  participants: ParticipantRepository;
  placements: PlacementRepository;
  audit: AuditTrail;
  clock: Clock;
  /** The relay of the participants' outboxes. */
  fanOut: OutboxNotifier;
}

/**
 * Consents given or withdrawn. The change and one placement.consent-changed per running placement
 * are ONE write of the participant (the events wait in its outbox); a relay then moves each event
 * into its placement's outbox, whose own relay publishes it, in order with that placement's other
 * events. Killed between any two steps, the relays redo the rest; the events' fixed ids make a
 * second copy harmless.
 */
export function makeChangeConsents({
  participants,
  placements,
  audit,
  clock,
  fanOut,
}: ChangeConsentsDeps) {
  return async ({
    context,
    participantId,
    changes,
  }: {
    context: AccessContext;
    participantId: string;
    changes: Partial<Record<ConsentPurpose, boolean>>;
  }): Promise<Participant> => {
    await visibleParticipant(participants, context.caller, participantId);
    await audit.record(context, 'consent-change', { type: 'participant', id: participantId });
    const stored = await participants.update(participantId, async (current) => {
      const now = clock.now();
      const { participant, changed } = changeConsents(current, changes, {
        by: context.caller.userId,
        now,
      });
      if (changed.length === 0) return null;
      const events = consentChangedEvents(
        participant,
        await placements.activeIdsOf(participantId),
        { producer: 'placement', correlationId: context.correlationId, causationId: null },
        now,
      );
      return { participant, events };
    });
    if (!stored) throw new Error(`participant ${participantId} vanished during a consent change`);
    fanOut.nudge();
    return stored;
  };
}
