import {
  createEvent,
  PlacementRecordedV1,
  type AccommodationCode,
  type ConsentFlags,
  type EndReason,
  type EventContext,
  type PlacementTerms,
  type PlacementRecordedV1 as RecordedEvent,
} from '@sanad/contracts';

export type PlacementStatus = 'recorded' | 'confirmed' | 'ended';

/** How employment ended, as reported by the employer or the coach. */
export interface PlacementEnding {
  endDate: string;
  reason: EndReason;
  initiatedBy: 'participant' | 'employer' | 'mutual' | 'other';
}

export interface Placement {
  id: string;
  participantId: string;
  employerId: string;
  programmeId: string;
  coachId: string;
  terms: PlacementTerms;
  /** The employer's supervisor contact for this job (an id in the employer's contacts). */
  supervisorId: string | null;
  /** Accommodations agreed with the employer: codes, never free text. */
  accommodations: AccommodationCode[];
  status: PlacementStatus;
  /** Raised by one on every change: a write carrying an older version is refused. */
  version: number;
  recordedAt: string;
  confirmedAt: string | null;
  ending: PlacementEnding | null;
  /** The Idempotency-Keys of the changes already made, so that a retried form changes nothing. */
  commandKeys: string[];
}

export interface RecordPlacement {
  participantId: string;
  employerId: string;
  programmeId: string;
  coachId: string;
  terms: PlacementTerms;
  supervisorId?: string | null;
  accommodations?: AccommodationCode[];
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
    supervisorId: command.supervisorId ?? null,
    accommodations: command.accommodations ?? [],
    status: 'recorded',
    version: 1,
    recordedAt: now.toISOString(),
    confirmedAt: null,
    ending: null,
    commandKeys: [],
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
  const a = {
    ...command,
    terms: { ...command.terms },
    supervisorId: command.supervisorId ?? null,
    accommodations: command.accommodations ?? [],
  };
  const b = {
    participantId: placement.participantId,
    employerId: placement.employerId,
    programmeId: placement.programmeId,
    coachId: placement.coachId,
    terms: placement.terms,
    supervisorId: placement.supervisorId,
    accommodations: placement.accommodations,
  };
  return canonical(a) === canonical(b);
}

export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
