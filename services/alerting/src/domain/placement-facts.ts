import {
  changeOf,
  type CheckinScheduledV1,
  type PlacementChangedV1,
  type PlacementConfirmedV1,
  type PlacementEndedV1,
  type PlacementRecordedV1,
} from '@sanad/contracts';

/**
 * What the alerting service knows of one placement, built only from events: the facts its risk
 * rules will read. No names, no contact details: ids and facts.
 */
export interface PlacementFacts {
  placementId: string;
  /**
   * Who the placement belongs to, from placement.recorded, its coach moved by placement.changed:
   * it decides who may see the facts.
   */
  programmeId?: string;
  coachId?: string;
  employerId?: string;
  /** When the coach was last moved to another caseload (absent while it is the recorded one). */
  coachChangedAt?: string;
  startDate?: string;
  contractedHoursPerWeek?: number;
  status?: 'recorded' | 'confirmed' | 'ended';
  endDate?: string;
  scheduledCheckinIds: string[];
}

/** The fields an event sets on the facts (a pure mapping: applying it twice changes nothing). */
export type FactsUpdate = Partial<Omit<PlacementFacts, 'placementId' | 'scheduledCheckinIds'>> & {
  addScheduledCheckinId?: string;
};

export function factsFrom(
  event:
    | PlacementRecordedV1
    | PlacementConfirmedV1
    | PlacementChangedV1
    | PlacementEndedV1
    | CheckinScheduledV1,
): FactsUpdate {
  switch (event.type) {
    case 'placement.recorded':
      return {
        programmeId: event.data.programmeId,
        coachId: event.data.coachId,
        employerId: event.data.employerId,
        startDate: event.data.startDate,
        contractedHoursPerWeek: event.data.hoursPerWeek,
        status: 'recorded',
      };
    case 'placement.confirmed':
      return {
        startDate: event.data.terms.startDate,
        contractedHoursPerWeek: event.data.terms.hoursPerWeek,
        status: 'confirmed',
      };
    case 'placement.changed': {
      // Only a move to another caseload is kept here (the risk rules read no other change yet).
      const coach = changeOf(event.data.changes, 'coachId');
      return coach ? { coachId: coach.after, coachChangedAt: event.occurredAt } : {};
    }
    case 'placement.ended':
      return { status: 'ended', endDate: event.data.endDate };
    case 'checkin.scheduled':
      return { addScheduledCheckinId: event.data.checkinId };
  }
}

/**
 * The update as it may be applied over facts whose coach was last moved at `keptCoachChangedAt`
 * (null: never). A coach from placement.recorded yields to a move kept already (a placement is
 * recorded before it can move, so that move is the later word), and an older move arriving late
 * (replayed) yields to a later one; the rest of the update applies. The same move again applies
 * again, which changes nothing.
 */
export function withoutStaleCoach(
  update: FactsUpdate,
  keptCoachChangedAt: string | null,
): FactsUpdate {
  if (update.coachId === undefined || keptCoachChangedAt === null) return update;
  if (
    update.coachChangedAt !== undefined &&
    Date.parse(update.coachChangedAt) >= Date.parse(keptCoachChangedAt)
  ) {
    return update;
  }
  const { coachId: _coachId, coachChangedAt: _at, ...rest } = update;
  return rest;
}
