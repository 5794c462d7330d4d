import { maySeeParticipant, participantFilterFor, type Caller } from '@sanad/auth';
import { AppError } from '@sanad/errors';
import type { Participant, ParticipantStatus } from '../domain/participant';
import type { AccessContext, AuditTrail, ParticipantRepository, ParticipantSummary } from './ports';

/** The participant, if the caller may see them; otherwise they do not exist, for the caller. */
export async function visibleParticipant(
  participants: ParticipantRepository,
  caller: Caller,
  participantId: string,
): Promise<Participant> {
  const participant = await participants.findById(participantId);
  if (!participant || !maySeeParticipant(caller, participant)) {
    throw AppError.notFound('participant');
  }
  return participant;
}

/** A participant's whole record, recorded in the audit log as a read before it is returned. */
export const makeGetParticipant =
  ({ participants, audit }: { participants: ParticipantRepository; audit: AuditTrail }) =>
  async ({
    context,
    participantId,
  }: {
    context: AccessContext;
    participantId: string;
  }): Promise<Participant> => {
    const participant = await visibleParticipant(participants, context.caller, participantId);
    await audit.record(context, 'read', { type: 'participant', id: participantId });
    return participant;
  };

export interface ListParticipantsRequest {
  caller: Caller;
  status?: ParticipantStatus;
  programmeId?: string;
  /** One coach's caseload: still only the participants the caller may see. */
  coachId?: string;
  limit: number;
}

/** The newest participants the caller may see: ids, codes and status only, so no audit record. */
export const makeListParticipants =
  ({ participants }: { participants: ParticipantRepository }) =>
  async ({ caller, ...query }: ListParticipantsRequest): Promise<ParticipantSummary[]> => {
    const visible = participantFilterFor(caller);
    if (visible.kind === 'none') return [];
    return participants.list({ visible, ...query });
  };
