import { AppError } from '@sanad/errors';
import { editParticipant, type EditParticipant, type Participant } from '../domain/participant';
import { visibleParticipant } from './find-participants';
import type { AccessContext, AuditTrail, Clock, ParticipantRepository } from './ports';

export interface EditParticipantDeps {
  participants: ParticipantRepository;
  audit: AuditTrail;
  clock: Clock;
}

export interface EditParticipantRequest {
  context: AccessContext;
  participantId: string;
  /** The participant's version the caller decided on. */
  version: number;
  changes: EditParticipant;
}

/**
 * Whoever may see a participant corrects their record (name, contact details, language, needs,
 * category). No event: what changes is personal data, which never leaves this service. A request
 * that cannot succeed is refused before it is recorded; the change is then decided again under the
 * participant's write lock, against what is stored.
 */
export function makeEditParticipant({ participants, audit, clock }: EditParticipantDeps) {
  return async ({
    context,
    participantId,
    version,
    changes,
  }: EditParticipantRequest): Promise<Participant> => {
    const seen = await visibleParticipant(participants, context.caller, participantId);
    editParticipant(seen, changes, { now: clock.now(), version });
    await audit.record(context, 'update', { type: 'participant', id: participantId });
    const stored = await participants.update(participantId, async (current) => {
      const decision = editParticipant(current, changes, { now: clock.now(), version });
      return decision.changed ? { participant: decision.participant, events: [] } : null;
    });
    if (!stored) throw AppError.notFound('participant');
    return stored;
  };
}
