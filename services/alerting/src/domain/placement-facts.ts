import type {
  CheckinScheduledV1,
  PlacementConfirmedV1,
  PlacementEndedV1,
  PlacementRecordedV1,
} from '@sanad/contracts';

/**
 * What the alerting service knows of one placement, built only from events: the facts its risk
 * rules will read. No names, no contact details: ids and facts.
 */
export interface PlacementFacts {
  placementId: string;
  /** Who the placement belongs to, from placement.recorded: it decides who may see the facts. */
  programmeId?: string;
  coachId?: string;
  employerId?: string;
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
  event: PlacementRecordedV1 | PlacementConfirmedV1 | PlacementEndedV1 | CheckinScheduledV1,
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
    case 'placement.ended':
      return { status: 'ended', endDate: event.data.endDate };
    case 'checkin.scheduled':
      return { addScheduledCheckinId: event.data.checkinId };
  }
}
