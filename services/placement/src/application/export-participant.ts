import type { AuditEntry } from '@sanad/audit';
import type { Participant } from '../domain/participant';
import type { Placement } from '../domain/placement';
import { dataSubjectFor } from './erase-participant';
import type {
  AccessContext,
  AuditTrail,
  Clock,
  ParticipantRepository,
  PlacementRepository,
} from './ports';

export interface ParticipantExport {
  exportedAt: string;
  participant: Participant;
  placements: Placement[];
  /** Every audit record about the participant or one of their placements, this export included. */
  audit: AuditEntry[];
}

/**
 * Data-subject access: everything this service holds about a participant. The export is recorded
 * in the audit log first, so it appears in itself.
 */
export function makeExportParticipant({
  participants,
  placements,
  audit,
  clock,
}: {
  participants: ParticipantRepository;
  placements: PlacementRepository;
  audit: AuditTrail;
  clock: Clock;
}) {
  return async ({
    context,
    participantId,
  }: {
    context: AccessContext;
    participantId: string;
  }): Promise<ParticipantExport> => {
    const participant = await dataSubjectFor(participants, context, participantId);
    await audit.record(context, 'export', { type: 'participant', id: participantId });
    const theirPlacements = await placements.ofParticipant(participantId);
    return {
      exportedAt: clock.now().toISOString(),
      participant,
      placements: theirPlacements,
      audit: await audit.about([participantId, ...theirPlacements.map((p) => p.id)]),
    };
  };
}
