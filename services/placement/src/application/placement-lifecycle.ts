import { maySeePlacement, type Caller } from '@sanad/auth';
import { AppError } from '@sanad/errors';
import { supervisorsOf } from '../domain/employer';
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
import type { EmployerRepository } from './employer-ports';
import type { Clock, OutboxNotifier, PlacementRepository } from './ports';

/**
 * Who acts: a signed-in user (staff in scope, or a user of the placement's employer), or the holder
 * of a signed link already checked to belong to this placement.
 */
export type LifecycleActor =
  { kind: 'caller'; caller: Caller } | { kind: 'link'; placementId: string };

export interface LifecycleDeps {
  placements: PlacementRepository;
  employers: Pick<EmployerRepository, 'findById'>;
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
    : actor.caller.role === 'employer-user'
      ? 'employer-user'
      : 'coach';

export function makePlacementLifecycle(deps: LifecycleDeps) {
  const { placements, employers, clock, outbox, startDateWindow } = deps;

  /** The placement, if the actor may act on it; otherwise, for them, it does not exist. */
  async function placementFor(actor: LifecycleActor, placementId: string): Promise<Placement> {
    const placement = await placements.findById(placementId);
    const visible =
      actor.kind === 'link'
        ? actor.placementId === placementId
        : maySeePlacement(actor.caller, placement);
    if (!placement || !visible) throw AppError.notFound('placement');
    return placement;
  }

  /** A supervisor named on a placement must be one of its employer's supervisors. */
  async function checkSupervisor(placement: Placement, supervisorId: string | null | undefined) {
    if (!supervisorId || supervisorId === placement.supervisorId) return;
    const employer = await employers.findById(placement.employerId);
    if (!employer || !supervisorsOf(employer).some((c) => c.id === supervisorId)) {
      throw AppError.validation([
        {
          path: 'supervisorId',
          message: "is not one of the employer's supervisors",
          code: 'not-a-supervisor',
        },
      ]);
    }
  }

  /** Reads, decides, writes if nobody wrote in between, and lets the relay know. */
  async function run<C>(
    request: LifecycleRequest<C>,
    check: (placement: Placement) => Promise<void>,
    decide: (placement: Placement, now: Date) => Decision,
  ): Promise<{ placement: Placement; repeated: boolean }> {
    const current = await placementFor(request.actor, request.placementId);
    const key = request.idempotencyKey;
    if (key && current.commandKeys.includes(key)) return { placement: current, repeated: true };
    await check(current);
    const { placement, events } = decide(current, clock.now());
    const stored = key
      ? { ...placement, commandKeys: [...current.commandKeys, key].slice(-KEYS_KEPT) }
      : placement;
    if ((await placements.update(stored, current.version, events)) === 'stale') {
      // the twin of a double submission may have made this very change in between
      const now = key ? await placements.findById(current.id) : null;
      if (now && key && now.commandKeys.includes(key)) return { placement: now, repeated: true };
      throw new AppError('STALE_VERSION', 'the placement changed since it was read');
    }
    outbox.nudge({ collection: 'placements', id: stored.id });
    return { placement: stored, repeated: false };
  }

  const contextOf = (correlationId: string) => ({
    producer: 'placement',
    correlationId,
    causationId: null,
  });

  return {
    /** The employer (by link or account) or the coach confirms the placement's terms. */
    confirm: (request: ConfirmRequest) =>
      run(
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
      ),

    /** A change of hours, wage, role, supervisor or accommodations. */
    change: (request: ChangeRequest) =>
      run(
        request,
        (p) => checkSupervisor(p, request.command.supervisorId),
        (p, now) => changePlacement(p, request.command, now, contextOf(request.correlationId)),
      ),

    /** The end of the employment. */
    end: (request: EndRequest) =>
      run(
        request,
        async () => undefined,
        (p, now) =>
          endPlacement(p, request.command, now, contextOf(request.correlationId), startDateWindow),
      ),
  };
}

export type PlacementLifecycle = ReturnType<typeof makePlacementLifecycle>;
