import { randomUUID } from 'node:crypto';
import { mayRecordPlacement, maySeePlacement, type Caller } from '@sanad/auth';
import { deterministicUuid } from '@sanad/contracts';
import { AppError, type FieldProblem } from '@sanad/errors';
import { supervisorProblem, type Employer } from '../domain/employer';
import { consentFlags } from '../domain/participant';
import {
  recordPlacement,
  sameCommand,
  type Placement,
  type RecordPlacement,
} from '../domain/placement';
import { startDateProblem, type StartDateWindow } from '../domain/placement-lifecycle';
import type { EmployerLinkOutcome, EmployerLinks } from './employer-links';
import type { EmployerRepository } from './employer-ports';
import type { Clock, OutboxNotifier, ParticipantRepository, PlacementRepository } from './ports';

export interface RecordPlacementDeps {
  placements: PlacementRepository;
  participants: ParticipantRepository;
  employers: Pick<EmployerRepository, 'findById'>;
  employerLinks: Pick<EmployerLinks, 'send'>;
  clock: Clock;
  outbox: OutboxNotifier;
  startDateWindow: StartDateWindow;
}

export interface RecordPlacementRequest {
  caller: Caller;
  command: RecordPlacement;
  correlationId: string;
  /** Same caller, same key, same placement: a double click or a retry creates one record. */
  idempotencyKey?: string;
}

/**
 * The placement an idempotency key stands for. Keys belong to the caller who sent them: the same
 * user and key always name the same placement, and another user's identical key names another, so
 * a replay can never hand one caller a placement another one recorded.
 */
export const placementIdFor = (userId: string, idempotencyKey: string): string =>
  deterministicUuid(`placement:${userId}:${idempotencyKey}`);

export function makeRecordPlacement({
  placements,
  participants,
  employers,
  employerLinks,
  clock,
  outbox,
  startDateWindow,
}: RecordPlacementDeps) {
  /** The employer, which must be known, and a supervisor named must be one of theirs. */
  async function checkedEmployer(
    command: RecordPlacement,
  ): Promise<{ employer: Employer | null; problems: FieldProblem[] }> {
    const employer = await employers.findById(command.employerId);
    if (!employer) {
      const problem = { path: 'employerId', message: 'no such employer', code: 'no-such-employer' };
      return { employer, problems: [problem] };
    }
    const problem = command.supervisorId ? supervisorProblem(employer, command.supervisorId) : null;
    if (problem) return { employer, problems: [problem] };
    return { employer, problems: [] };
  }

  return async ({
    caller,
    command,
    correlationId,
    idempotencyKey,
  }: RecordPlacementRequest): Promise<{
    placement: Placement;
    created: boolean;
    employerLink: EmployerLinkOutcome | null;
  }> => {
    if (!mayRecordPlacement(caller, command)) {
      throw new AppError(
        'FORBIDDEN',
        caller.role === 'employer-user'
          ? 'employer users do not record placements'
          : 'you may record placements only in your own programmes or caseload',
      );
    }
    const id = idempotencyKey ? placementIdFor(caller.userId, idempotencyKey) : randomUUID();
    /** A retry of a request that was stored (days ago, say): answered as stored, not checked again. */
    const storedBefore = async () => {
      if (!idempotencyKey) return null;
      const existing = await placements.findById(id);
      return existing && maySeePlacement(caller, existing) && sameCommand(existing, command)
        ? { placement: existing, created: false, employerLink: null }
        : null;
    };
    const outOfWindow = startDateProblem(command.terms.startDate, clock.now(), startDateWindow);
    if (outOfWindow) {
      const replay = await storedBefore();
      if (replay) return replay;
      throw AppError.validation([outOfWindow]);
    }
    // read the employer while the participant is read (two round trips at the time of one)
    const employerChecked = checkedEmployer(command);
    employerChecked.catch(() => undefined); // awaited below; this only marks it handled meanwhile
    // The participant's consents go with placement.recorded when this service holds them. Read and
    // stored while their consents cannot change: a change either comes first (and is read here) or
    // after (and then finds this placement and tells it with placement.consent-changed).
    const { placement, inserted, employer, participant } = await participants.exclusive(
      command.participantId,
      async () => {
        const [participant, { employer, problems }] = await Promise.all([
          participants.findById(command.participantId),
          employerChecked,
        ]);
        if (problems.length > 0) throw AppError.validation(problems);
        const recorded = recordPlacement(
          command,
          id,
          clock.now(),
          { producer: 'placement', correlationId, causationId: null },
          participant ? consentFlags(participant) : undefined,
        );
        const outcome = await placements.insert(recorded.placement, recorded.events);
        return {
          placement: recorded.placement,
          inserted: outcome === 'inserted',
          employer,
          participant,
        };
      },
    );
    if (inserted) {
      outbox.nudge({ collection: 'placements', id: placement.id });
      // the employer and the participant just read: the mail needs no second look
      const employerLink = await employerLinks.send(placement, {
        employer,
        participant,
        first: true,
      });
      return { placement, created: true, employerLink };
    }
    const existing = await placements.findById(id);
    // The key is the caller's own, so this is their placement; checked all the same.
    if (!existing || !maySeePlacement(caller, existing)) throw AppError.notFound('placement');
    if (sameCommand(existing, command)) {
      return { placement: existing, created: false, employerLink: null };
    }
    throw AppError.conflict('this Idempotency-Key was already used for a different placement');
  };
}
