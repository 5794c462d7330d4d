import { mayActForDataSubject } from '@sanad/auth';
import { AppError } from '@sanad/errors';
import {
  consentChangedEvents,
  consentFlags,
  erase,
  pseudonymise,
  sameFlags,
  type Participant,
} from '../domain/participant';
import { visibleParticipant } from './find-participants';
import {
  ParticipantCodeTaken,
  type AccessContext,
  type AuditTrail,
  type Clock,
  type CodeSource,
  type OutboxNotifier,
  type ParticipantRepository,
  type PlacementRepository,
} from './ports';

export type ErasureMode = 'pseudonymise' | 'erase';

export interface EraseParticipantDeps {
  participants: ParticipantRepository;
  placements: PlacementRepository;
  audit: AuditTrail;
  clock: Clock;
  newCode: CodeSource;
  fanOut: OutboxNotifier;
}

/** Throws unless the caller may act for this participant as data subject (404 or 403). */
export async function dataSubjectFor(
  participants: ParticipantRepository,
  context: AccessContext,
  participantId: string,
): Promise<Participant> {
  const participant = await visibleParticipant(participants, context.caller, participantId);
  if (!mayActForDataSubject(context.caller, participant)) {
    throw new AppError(
      'FORBIDDEN',
      'only an admin or a manager of their programme may export, pseudonymise or erase a participant',
    );
  }
  return participant;
}

/**
 * Pseudonymises or erases a participant (see the domain for what each removes). Asking again is a
 * no-op. Erasure also withdraws every consent, which the participant's running placements are told
 * of (placement.consent-changed), so that no service contacts them any more.
 */
export function makeEraseParticipant({
  participants,
  placements,
  audit,
  clock,
  newCode,
  fanOut,
}: EraseParticipantDeps) {
  return async ({
    context,
    participantId,
    mode,
  }: {
    context: AccessContext;
    participantId: string;
    mode: ErasureMode;
  }): Promise<Participant> => {
    await dataSubjectFor(participants, context, participantId);
    await audit.record(context, 'erase', { type: 'participant', id: participantId });
    for (let attempt = 1; ; attempt++) {
      try {
        const stored = await participants.update(participantId, async (current) => {
          const now = clock.now();
          const { participant, changed } =
            mode === 'erase'
              ? erase(current, { now, newCode: newCode() })
              : pseudonymise(current, now);
          if (!changed) return null;
          const events = sameFlags(consentFlags(current), consentFlags(participant))
            ? []
            : consentChangedEvents(
                participant,
                await placements.activeIdsOf(participantId),
                { producer: 'placement', correlationId: context.correlationId, causationId: null },
                now,
              );
          return { participant, events };
        });
        if (!stored) throw AppError.notFound('participant');
        fanOut.nudge();
        return stored;
      } catch (error) {
        if (!(error instanceof ParticipantCodeTaken) || attempt >= 5) throw error;
      }
    }
  };
}
