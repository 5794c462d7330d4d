import {
  createEvent,
  PlacementRecordedV1,
  type ConsentFlags,
  type EventContext,
  type PlacementTerms,
  type PlacementRecordedV1 as RecordedEvent,
} from '@sanad/contracts';

export type PlacementStatus = 'recorded' | 'confirmed' | 'ended';

export interface Placement {
  id: string;
  participantId: string;
  employerId: string;
  programmeId: string;
  coachId: string;
  terms: PlacementTerms;
  status: PlacementStatus;
  /** Raised by one on every change: a write carrying an older version is refused. */
  version: number;
  recordedAt: string;
}

export interface RecordPlacement {
  participantId: string;
  employerId: string;
  programmeId: string;
  coachId: string;
  terms: PlacementTerms;
}

/**
 * A coach records a placement: its first state and the event that announces it. The event carries
 * the participant's consents when this service holds the participant (`consents` given).
 */
export function recordPlacement(
  command: RecordPlacement,
  placementId: string,
  now: Date,
  context: EventContext,
  consents?: ConsentFlags,
): { placement: Placement; events: [RecordedEvent] } {
  const placement: Placement = {
    id: placementId,
    participantId: command.participantId,
    employerId: command.employerId,
    programmeId: command.programmeId,
    coachId: command.coachId,
    terms: command.terms,
    status: 'recorded',
    version: 1,
    recordedAt: now.toISOString(),
  };
  const event = createEvent(
    PlacementRecordedV1,
    {
      placementId,
      participantId: command.participantId,
      employerId: command.employerId,
      programmeId: command.programmeId,
      coachId: command.coachId,
      ...command.terms,
      ...(consents ? { consents } : {}),
    },
    context,
    now,
  );
  return { placement, events: [event] };
}

/** Whether a repeated request carries the same command as the one that made the placement. */
export function sameCommand(placement: Placement, command: RecordPlacement): boolean {
  const a = { ...command, terms: { ...command.terms } };
  const b = {
    participantId: placement.participantId,
    employerId: placement.employerId,
    programmeId: placement.programmeId,
    coachId: placement.coachId,
    terms: placement.terms,
  };
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
