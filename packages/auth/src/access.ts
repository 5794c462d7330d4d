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
 */
export function maySeePlacement(caller: Caller, placement: PlacementScope): boolean {
  switch (caller.role) {
    case 'admin':
      return true;
    case 'programme-manager':
      return caller.programmeIds.includes(placement.programmeId);
    case 'coach':
      return caller.userId === placement.coachId;
    case 'employer-user':
      return caller.employerId !== null && caller.employerId === placement.employerId;
  }
}
