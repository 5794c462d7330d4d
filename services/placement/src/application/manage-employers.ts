import { randomUUID } from 'node:crypto';
import type { Caller } from '@sanad/auth';
import { deterministicUuid } from '@sanad/contracts';
import { AppError } from '@sanad/errors';
import {
  createEmployer,
  sameEmployer,
  updateEmployer,
  type CreateEmployer,
  type Employer,
  type NewId,
  type Region,
  type Sector,
  type UpdateEmployer,
} from '../domain/employer';
import type { EmployerRepository, EmployerSummary, EmployerVisibility } from './employer-ports';
import type { AccessContext, AuditTrail, Clock } from './ports';

/**
 * Programme staff (admins, managers, coaches) work with every employer: a coach places people
 * wherever a job is. An employer user sees and keeps up to date only their own organisation.
 */
const isStaff = (caller: Caller) => caller.role !== 'employer-user';

/** The employers a caller may see. */
export function employerVisibilityFor(caller: Caller): EmployerVisibility {
  if (isStaff(caller)) return { kind: 'all' };
  return { kind: 'only', employerIds: caller.employerId === null ? [] : [caller.employerId] };
}

export const maySeeEmployer = (caller: Caller, employerId: string): boolean =>
  isStaff(caller) || caller.employerId === employerId;

/** The employer, if the caller may see it; otherwise it does not exist, for the caller. */
export async function visibleEmployer(
  employers: EmployerRepository,
  caller: Caller,
  employerId: string,
): Promise<Employer> {
  const employer = maySeeEmployer(caller, employerId) ? await employers.findById(employerId) : null;
  if (!employer) throw AppError.notFound('employer');
  return employer;
}

/** Keys belong to the caller who sent them, as for placements and participants. */
export const employerIdFor = (userId: string, idempotencyKey: string): string =>
  deterministicUuid(`employer:${userId}:${idempotencyKey}`);

export interface ManageEmployersDeps {
  employers: EmployerRepository;
  audit: AuditTrail;
  clock: Clock;
  /** Ids of new contacts (random by default). */
  newId?: NewId;
}

export interface CreateEmployerRequest {
  context: AccessContext;
  command: CreateEmployer;
  /** Same caller, same key, same employer: a double click or a retry records one. */
  idempotencyKey?: string;
}

/** Staff record an employer; the audit log records it (its contacts are personal data) first. */
export function makeCreateEmployer({
  employers,
  audit,
  clock,
  newId = randomUUID,
}: ManageEmployersDeps) {
  return async ({
    context,
    command,
    idempotencyKey,
  }: CreateEmployerRequest): Promise<{ employer: Employer; created: boolean }> => {
    const { caller } = context;
    if (!isStaff(caller)) {
      throw new AppError('FORBIDDEN', 'employer users do not record employers');
    }
    const id = idempotencyKey ? employerIdFor(caller.userId, idempotencyKey) : randomUUID();
    const employer = createEmployer(command, { id, now: clock.now(), newId });
    await audit.record(context, 'create', { type: 'employer', id });
    if ((await employers.insert(employer)) === 'inserted') return { employer, created: true };
    const existing = await employers.findById(id);
    if (!existing) throw new Error(`employer ${id} was taken but cannot be read`);
    if (sameEmployer(existing, command)) return { employer: existing, created: false };
    throw AppError.conflict('this Idempotency-Key was already used for a different employer');
  };
}

/** An employer with its contacts, recorded in the audit log as a read before it is returned. */
export const makeGetEmployer =
  ({ employers, audit }: Pick<ManageEmployersDeps, 'employers' | 'audit'>) =>
  async ({
    context,
    employerId,
  }: {
    context: AccessContext;
    employerId: string;
  }): Promise<Employer> => {
    const employer = await visibleEmployer(employers, context.caller, employerId);
    await audit.record(context, 'read', { type: 'employer', id: employerId });
    return employer;
  };

export interface ListEmployersRequest {
  caller: Caller;
  sector?: Sector;
  region?: Region;
  q?: string;
  limit: number;
}

/** The employers the caller may see, by name: no contacts, so no audit record. */
export const makeListEmployers =
  ({ employers }: Pick<ManageEmployersDeps, 'employers'>) =>
  async ({ caller, ...query }: ListEmployersRequest): Promise<EmployerSummary[]> =>
    employers.list({ visible: employerVisibilityFor(caller), ...query });

export interface UpdateEmployerRequest {
  context: AccessContext;
  employerId: string;
  command: UpdateEmployer;
}

/**
 * Staff, or a user of the employer, replace its name, sector, region and contacts, having decided
 * on its current version. A request that cannot succeed is refused before it is recorded.
 */
export function makeUpdateEmployer({
  employers,
  audit,
  clock,
  newId = randomUUID,
}: ManageEmployersDeps) {
  return async ({
    context,
    employerId,
    command,
  }: UpdateEmployerRequest): Promise<{ employer: Employer; changed: boolean }> => {
    const current = await visibleEmployer(employers, context.caller, employerId);
    const decision = updateEmployer(current, command, { now: clock.now(), newId });
    await audit.record(context, 'update', { type: 'employer', id: employerId });
    if (!decision.changed) return decision;
    const stored = await employers.update(decision.employer, current.version);
    if (!stored) throw AppError.notFound('employer');
    return { employer: stored, changed: true };
  };
}
