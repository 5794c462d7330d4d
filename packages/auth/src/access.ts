import type { Caller } from './claims';

/** What a placement is tied to, for deciding who may see it. */
export interface PlacementScope {
  coachId: string;
  employerId: string;
  programmeId: string;
}

/**
 * Who may see a placement: an admin, always; a programme manager, within their programmes; a coach,
 * on their own caseload; an employer user, their own organisation's placements. Everyone else is
 * told it does not exist (404, not 403), so that existence does not leak.
 *
 * `null` is a placement whose scope this service does not know (yet): a read model that has not
 * seen its placement.recorded event. Only an admin may see it.
 */
export function maySeePlacement(caller: Caller, placement: PlacementScope | null): boolean {
  if (caller.role === 'admin') return true;
  if (placement === null) return false;
  switch (caller.role) {
    case 'programme-manager':
      return caller.programmeIds.includes(placement.programmeId);
    case 'coach':
      return caller.userId === placement.coachId;
    case 'employer-user':
      return caller.employerId !== null && caller.employerId === placement.employerId;
  }
}

/**
 * Who may record a placement with this scope: an admin, any; a programme manager, within their
 * programmes; a coach, on their own caseload. An employer user never (employers confirm, coaches
 * record). A refusal is a 403: the caller names the scope, so nothing leaks by saying no.
 */
export function mayRecordPlacement(caller: Caller, placement: PlacementScope): boolean {
  switch (caller.role) {
    case 'admin':
      return true;
    case 'programme-manager':
      return caller.programmeIds.includes(placement.programmeId);
    case 'coach':
      return caller.userId === placement.coachId;
    case 'employer-user':
      return false;
  }
}

/**
 * What a caller may see, as a condition a list query can use: everything, nothing, or the records
 * whose `field` is one of `anyOf`.
 */
export type ScopeFilter<Field extends string> =
  { kind: 'all' } | { kind: 'none' } | { kind: 'match'; field: Field; anyOf: readonly string[] };

/**
 * The part of every list rule that is about programme staff: an admin all, a programme manager
 * their programmes, a coach their caseload. Null for an employer user, whose rule differs by record.
 */
export function staffFilterFor(caller: Caller): ScopeFilter<'programmeId' | 'coachId'> | null {
  switch (caller.role) {
    case 'admin':
      return { kind: 'all' };
    case 'programme-manager':
      return caller.programmeIds.length === 0
        ? { kind: 'none' }
        : { kind: 'match', field: 'programmeId', anyOf: [...caller.programmeIds] };
    case 'coach':
      return { kind: 'match', field: 'coachId', anyOf: [caller.userId] };
    case 'employer-user':
      return null;
  }
}

/** The placements a caller may see: exactly what `maySeePlacement` allows. */
export type PlacementFilter = ScopeFilter<keyof PlacementScope>;

export function placementFilterFor(caller: Caller): PlacementFilter {
  return (
    staffFilterFor(caller) ??
    (caller.employerId === null
      ? { kind: 'none' }
      : { kind: 'match', field: 'employerId', anyOf: [caller.employerId] })
  );
}

/** Whether a record passes a filter (what a store does with it, for in-memory use and tests). */
export function matchesFilter<Field extends string>(
  filter: ScopeFilter<Field>,
  record: Record<Field, string>,
): boolean {
  switch (filter.kind) {
    case 'all':
      return true;
    case 'none':
      return false;
    case 'match':
      return filter.anyOf.includes(record[filter.field]);
  }
}

/**
 * The scope of a read model that learns it from events, complete or not at all: a placement whose
 * placement.recorded has not arrived has none (and only an admin sees it).
 */
export function knownScope(
  fields: Partial<Record<keyof PlacementScope, string | null>> | null | undefined,
): PlacementScope | null {
  const { coachId, employerId, programmeId } = fields ?? {};
  return coachId && employerId && programmeId ? { coachId, employerId, programmeId } : null;
}
