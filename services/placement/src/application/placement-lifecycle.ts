import { maySeePlacement } from '@sanad/auth';
import { AppError } from '@sanad/errors';
import { keyedEntry, priorUseOf } from '../domain/command-keys';
import { supervisorProblem } from '../domain/employer';
import type { Placement } from '../domain/placement';
import {
  changePlacement,
  confirmPlacement,
  endPlacement,
  type ChangePlacement,
  type ConfirmPlacement,
  type Decision,
  type EndPlacement,
  type PlacementActor,
  type StartDateWindow,
} from '../domain/placement-lifecycle';
import type { EmployerLinkOutcome, EmployerLinks } from './employer-links';
import type { EmployerRepository } from './employer-ports';
import type {
  AccessContext,
  AuditTrail,
  Clock,
  OutboxNotifier,
  PlacementRepository,
} from './ports';

/**
 * Who acts: a signed-in user (staff in scope, or a user of the placement's employer), or the holder
 * of a signed link already checked to belong to this placement.
 */
export type LifecycleActor =
  { kind: 'caller'; context: AccessContext } | { kind: 'link'; placementId: string };

export interface LifecycleDeps {
  placements: PlacementRepository;
  employers: Pick<EmployerRepository, 'findById'>;
  /** A confirmed placement's employer gets the link to report changes and the end. */
  employerLinks: Pick<EmployerLinks, 'send'>;
  audit: Pick<AuditTrail, 'record' | 'recordLinkUse'>;
  clock: Clock;
  outbox: OutboxNotifier;
  startDateWindow: StartDateWindow;
}

interface LifecycleRequest<C> {
  actor: LifecycleActor;
  placementId: string;
  command: C;
  correlationId: string;
  /** The same key again (a double click, a retry) answers the placement and changes nothing. */
  idempotencyKey?: string;
}

export type ConfirmRequest = LifecycleRequest<Omit<ConfirmPlacement, 'by'>>;
export type ChangeRequest = LifecycleRequest<ChangePlacement>;
export type EndRequest = LifecycleRequest<EndPlacement>;

/** How many keys a placement remembers: the recent ones are the ones a retry can repeat. */
const KEYS_KEPT = 50;

const byWhom = (actor: LifecycleActor): PlacementActor =>
  actor.kind === 'link'
    ? 'employer-link'
    : actor.context.caller.role === 'employer-user'
      ? 'employer-user'
      : 'coach';

export function makePlacementLifecycle(deps: LifecycleDeps) {
  const { placements, employers, employerLinks, audit, clock, outbox, startDateWindow } = deps;

  /** The placement, if the actor may act on it; otherwise, for them, it does not exist. */
  async function placementFor(actor: LifecycleActor, placementId: string): Promise<Placement> {
    const placement = await placements.findById(placementId);
    const visible =
      actor.kind === 'link'
        ? actor.placementId === placementId
        : maySeePlacement(actor.context.caller, placement);
    if (!placement || !visible) throw AppError.notFound('placement');
    return placement;
  }

  /** A supervisor named on a placement must be one of its employer's supervisors. */
  async function checkSupervisor(placement: Placement, supervisorId: string | null | undefined) {
    if (!supervisorId || supervisorId === placement.supervisorId) return;
    const problem = supervisorProblem(await employers.findById(placement.employerId), supervisorId);
    if (problem) throw AppError.validation([problem]);
  }

  /** Records who changed the placement: a signed-in user, or a link's holder. */
  const audited = (actor: LifecycleActor, placementId: string, correlationId: string) =>
    actor.kind === 'link'
      ? audit.recordLinkUse('update', { type: 'placement', id: placementId }, correlationId)
      : audit.record(actor.context, 'update', { type: 'placement', id: placementId });

  /**
   * Reads, decides, writes if nobody wrote in between, audits, and lets the relay know. A retry
   * (the same key and change) answers the placement as it is and does nothing again; the same key
   * with another change is refused.
   */
  async function run<C>(
    kind: 'confirm' | 'change' | 'end',
    request: LifecycleRequest<C>,
    check: (placement: Placement) => Promise<void>,
    decide: (placement: Placement, now: Date) => Decision,
  ): Promise<{ placement: Placement; repeated: boolean }> {
    const current = await placementFor(request.actor, request.placementId);
    const entry = request.idempotencyKey
      ? keyedEntry(request.idempotencyKey, kind, request.command)
      : null;
    const prior = entry ? priorUseOf(current.commandKeys, entry) : 'none';
    if (prior === 'same-change') return { placement: current, repeated: true };
    if (prior === 'other-change') {
      throw AppError.conflict('this Idempotency-Key was already used for a different change');
    }
    await check(current);
    const { placement, events } = decide(current, clock.now());
    const stored = entry
      ? { ...placement, commandKeys: [...current.commandKeys, entry].slice(-KEYS_KEPT) }
      : placement;
    if ((await placements.update(stored, current.version, events)) === 'stale') {
      // the twin of a double submission may have made this very change in between
      const now = entry ? await placements.findById(current.id) : null;
      if (now && entry && priorUseOf(now.commandKeys, entry) === 'same-change') {
        return { placement: now, repeated: true };
      }
      throw new AppError('STALE_VERSION', 'the placement changed since it was read');
    }
    outbox.nudge({ collection: 'placements', id: stored.id });
    await audited(request.actor, stored.id, request.correlationId);
    return { placement: stored, repeated: false };
  }

  const contextOf = (correlationId: string) => ({
    producer: 'placement',
    correlationId,
    causationId: null,
  });

  return {
    /**
     * The employer (by link or account) or the coach confirms the placement's terms; the
     * employer's contact is then mailed the link to report changes and the end (not on a retry).
     */
    async confirm(request: ConfirmRequest): Promise<{
      placement: Placement;
      repeated: boolean;
      employerLink: EmployerLinkOutcome | null;
    }> {
      const done = await run(
        'confirm',
        request,
        (p) => checkSupervisor(p, request.command.supervisorId),
        (p, now) =>
          confirmPlacement(
            p,
            { ...request.command, by: byWhom(request.actor) },
            now,
            contextOf(request.correlationId),
            startDateWindow,
          ),
      );
      const employerLink = done.repeated ? null : await employerLinks.send(done.placement);
      return { ...done, employerLink };
    },

    /** A change of hours, wage, role, supervisor or accommodations. */
    change: (request: ChangeRequest) =>
      run(
        'change',
        request,
        (p) => checkSupervisor(p, request.command.supervisorId),
        (p, now) => changePlacement(p, request.command, now, contextOf(request.correlationId)),
      ),

    /** The end of the employment. */
    end: (request: EndRequest) =>
      run(
        'end',
        request,
        async () => undefined,
        (p, now) =>
          endPlacement(p, request.command, now, contextOf(request.correlationId), startDateWindow),
      ),
  };
}

export type PlacementLifecycle = ReturnType<typeof makePlacementLifecycle>;
