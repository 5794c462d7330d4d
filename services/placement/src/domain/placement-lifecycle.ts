import {
  createEvent,
  PlacementChangedV1,
  PlacementConfirmedV1,
  PlacementEndedV1,
  type AccommodationCode,
  type Envelope,
  type EventContext,
  type PlacementChange,
  type PlacementTerms,
  type Wage,
} from '@sanad/contracts';
import { AppError, type FieldProblem } from '@sanad/errors';
import type { Placement, PlacementEnding } from './placement';

/**
 * What happens to a placement after it is recorded: the employer confirms it (perhaps correcting
 * its terms), reports changes, and one day its end. Each decision is pure: the placement as read,
 * the command, the time; out comes the next state and its events, or a refusal in the domain's
 * words (a stale version, an ended placement, a wrong field).
 */

/** How far from today a start date may be: a typo of a year is caught, a late record is not. */
export interface StartDateWindow {
  daysBefore: number;
  daysAfter: number;
}

export const DEFAULT_START_DATE_WINDOW: StartDateWindow = { daysBefore: 365, daysAfter: 180 };

const DAY_MS = 86_400_000;
const dayOf = (instant: Date): string => instant.toISOString().slice(0, 10);
const addDays = (day: string, days: number): string =>
  dayOf(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS));

/** The start date's problem, if it is outside the window around today (UTC calendar days). */
export function startDateProblem(
  startDate: string,
  now: Date,
  window: StartDateWindow,
  path = 'startDate',
): FieldProblem | null {
  const today = dayOf(now);
  const from = addDays(today, -window.daysBefore);
  const to = addDays(today, window.daysAfter);
  if (startDate >= from && startDate <= to) return null;
  return {
    path,
    message: `must be between ${from} and ${to}`,
    code: 'start-date-window',
    params: { from, to },
  };
}

/** Who acts on the placement, as its events and audit name them. */
export type PlacementActor = 'employer-link' | 'employer-user' | 'coach';

export interface ConfirmPlacement {
  expectedVersion: number;
  terms: PlacementTerms;
  accommodations: AccommodationCode[];
  /** The supervisor (null: none); not given, the one recorded stays. */
  supervisorId?: string | null;
  by: PlacementActor;
}

export interface ChangePlacement {
  expectedVersion: number;
  effectiveDate: string;
  jobTitle?: string;
  hoursPerWeek?: number;
  wage?: Wage;
  supervisorId?: string | null;
  accommodations?: AccommodationCode[];
}

export interface EndPlacement extends PlacementEnding {
  expectedVersion: number;
}

export interface Decision {
  placement: Placement;
  events: Envelope[];
}

/** The version the writer read must still be the placement's, and it must not have ended. */
function assertWritable(placement: Placement, expectedVersion: number): void {
  if (placement.version !== expectedVersion) {
    throw new AppError('STALE_VERSION', 'the placement changed since it was read', {
      details: { currentVersion: placement.version },
    });
  }
  if (placement.status === 'ended') {
    throw AppError.conflict('the placement has ended: it can no longer change');
  }
}

/** A date of the placement's life (a change, the end) cannot come before its start. */
function assertNotBeforeStart(placement: Placement, day: string, path: string, code: string) {
  const { startDate } = placement.terms;
  if (day >= startDate) return;
  throw AppError.validation([
    {
      path,
      message: `must not be before the start date ${startDate}`,
      code,
      params: { startDate },
    },
  ]);
}

const next = (placement: Placement, changes: Partial<Placement>): Placement => ({
  ...placement,
  ...changes,
  version: placement.version + 1,
});

/** The employer confirms the placement, with its terms as they are (corrected if they were wrong). */
export function confirmPlacement(
  placement: Placement,
  command: ConfirmPlacement,
  now: Date,
  context: EventContext,
  window: StartDateWindow,
): Decision {
  assertWritable(placement, command.expectedVersion);
  if (placement.status !== 'recorded') {
    throw AppError.conflict('the placement is already confirmed');
  }
  const problem =
    command.terms.startDate === placement.terms.startDate
      ? null
      : startDateProblem(command.terms.startDate, now, window, 'terms.startDate');
  if (problem) throw AppError.validation([problem]);
  const confirmed = next(placement, {
    terms: command.terms,
    accommodations: sortedCodes(command.accommodations),
    supervisorId:
      command.supervisorId === undefined ? placement.supervisorId : command.supervisorId,
    status: 'confirmed',
    confirmedAt: now.toISOString(),
  });
  const event = createEvent(
    PlacementConfirmedV1,
    {
      placementId: placement.id,
      terms: confirmed.terms,
      accommodations: confirmed.accommodations,
      confirmedBy: command.by,
    },
    context,
    now,
  );
  return { placement: confirmed, events: [event] };
}

/** A change of hours, wage, role, supervisor or accommodations: each field before and after. */
export function changePlacement(
  placement: Placement,
  command: ChangePlacement,
  now: Date,
  context: EventContext,
): Decision {
  assertWritable(placement, command.expectedVersion);
  assertNotBeforeStart(placement, command.effectiveDate, 'effectiveDate', 'before-start');
  const changes = changesBetween(placement, command);
  if (changes.length === 0) {
    throw AppError.validation([
      {
        path: 'changes',
        message: 'nothing differs from the placement as it is',
        code: 'nothing-changed',
      },
    ]);
  }
  const terms = {
    ...placement.terms,
    ...(command.jobTitle === undefined ? {} : { jobTitle: command.jobTitle }),
    ...(command.hoursPerWeek === undefined ? {} : { hoursPerWeek: command.hoursPerWeek }),
    ...(command.wage === undefined ? {} : { wage: command.wage }),
  };
  const changed = next(placement, {
    terms,
    ...(command.supervisorId === undefined ? {} : { supervisorId: command.supervisorId }),
    ...(command.accommodations === undefined
      ? {}
      : { accommodations: sortedCodes(command.accommodations) }),
  });
  const event = createEvent(
    PlacementChangedV1,
    { placementId: placement.id, changes, effectiveDate: command.effectiveDate },
    context,
    now,
  );
  return { placement: changed, events: [event] };
}

/** The fields a change command really changes, in a fixed order. */
export function changesBetween(placement: Placement, command: ChangePlacement): PlacementChange[] {
  const changes: PlacementChange[] = [];
  const { terms } = placement;
  if (command.hoursPerWeek !== undefined && command.hoursPerWeek !== terms.hoursPerWeek) {
    changes.push({
      field: 'hoursPerWeek',
      before: terms.hoursPerWeek,
      after: command.hoursPerWeek,
    });
  }
  if (command.wage !== undefined && !sameWage(command.wage, terms.wage)) {
    changes.push({ field: 'wage', before: terms.wage, after: command.wage });
  }
  if (command.jobTitle !== undefined && command.jobTitle !== terms.jobTitle) {
    changes.push({ field: 'jobTitle', before: terms.jobTitle, after: command.jobTitle });
  }
  if (command.supervisorId !== undefined && command.supervisorId !== placement.supervisorId) {
    changes.push({
      field: 'supervisorId',
      before: placement.supervisorId,
      after: command.supervisorId,
    });
  }
  if (command.accommodations !== undefined) {
    const after = sortedCodes(command.accommodations);
    const before = sortedCodes(placement.accommodations);
    if (after.join() !== before.join()) changes.push({ field: 'accommodations', before, after });
  }
  return changes;
}

/** Employment ended: on a date not before it started, for a reason. */
export function endPlacement(
  placement: Placement,
  command: EndPlacement,
  now: Date,
  context: EventContext,
  window: StartDateWindow,
): Decision {
  assertWritable(placement, command.expectedVersion);
  assertNotBeforeStart(placement, command.endDate, 'endDate', 'end-before-start');
  const latest = addDays(dayOf(now), window.daysAfter);
  if (command.endDate > latest) {
    throw AppError.validation([
      {
        path: 'endDate',
        message: `must not be after ${latest}`,
        code: 'too-far-ahead',
        params: { to: latest },
      },
    ]);
  }
  const ending: PlacementEnding = {
    endDate: command.endDate,
    reason: command.reason,
    initiatedBy: command.initiatedBy,
  };
  const ended = next(placement, { status: 'ended', ending });
  const event = createEvent(
    PlacementEndedV1,
    { placementId: placement.id, ...ending },
    context,
    now,
  );
  return { placement: ended, events: [event] };
}

const sameWage = (a: Wage, b: Wage) =>
  a.amount === b.amount && a.currency === b.currency && a.period === b.period;

const sortedCodes = (codes: readonly AccommodationCode[]): AccommodationCode[] =>
  [...new Set(codes)].sort();
