import { staffFilterFor, type ScopeFilter } from './access';
import type { Caller } from './claims';

/** What a participant is tied to, for deciding who may see them: their programme and coach. */
export interface ParticipantScope {
  coachId: string;
  programmeId: string;
}

/**
 * Who may see a participant (and so their personal data): an admin, always; a programme manager,
 * within their programmes; a coach, their own caseload. An employer user never: employers know
 * placements, not the people's records. Everyone else is told they do not exist (404).
 */
export function maySeeParticipant(caller: Caller, participant: ParticipantScope): boolean {
  switch (caller.role) {
    case 'admin':
      return true;
    case 'programme-manager':
      return caller.programmeIds.includes(participant.programmeId);
    case 'coach':
      return caller.userId === participant.coachId;
    case 'employer-user':
      return false;
  }
}

/**
 * Who may register a participant with this scope: an admin, any; a programme manager, within their
 * programmes; a coach, on their own caseload; an employer user never. A refusal is a 403: the
 * caller names the scope, so nothing leaks by saying no.
 */
export function mayRegisterParticipant(caller: Caller, participant: ParticipantScope): boolean {
  return caller.role !== 'employer-user' && maySeeParticipant(caller, participant);
}

/**
 * Who may act for the data subject (export everything held about them, pseudonymise or erase
 * them): an admin, or a programme manager of their programme. Their coach may see them but not do
 * this (403: they know the participant exists); anyone who may not see them gets a 404.
 */
export function mayActForDataSubject(caller: Caller, participant: ParticipantScope): boolean {
  return managesProgrammeOf(caller, participant);
}

/**
 * Who may set a participant's caseload (move them, with their placements, to another coach): an
 * admin, any; a programme manager, those of their programmes. Their own coach may see them but not
 * move them (403: they know the participant exists); anyone who may not see them gets a 404.
 */
export function mayAssignCaseload(caller: Caller, participant: ParticipantScope): boolean {
  return managesProgrammeOf(caller, participant);
}

/** An admin, or a programme manager of the participant's programme: not their coach. */
function managesProgrammeOf(caller: Caller, participant: ParticipantScope): boolean {
  return (
    caller.role === 'admin' ||
    (caller.role === 'programme-manager' && caller.programmeIds.includes(participant.programmeId))
  );
}

/** The participants a caller may see: exactly what `maySeeParticipant` allows (no employer). */
export type ParticipantFilter = ScopeFilter<keyof ParticipantScope>;

export function participantFilterFor(caller: Caller): ParticipantFilter {
  return staffFilterFor(caller) ?? { kind: 'none' };
}
