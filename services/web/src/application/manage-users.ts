import type { AuditLog } from '@sanad/audit';
import type { Role } from '@sanad/auth';
import { AppError } from '@sanad/errors';
import { mayChangeUser, type User, type UserStatus } from '../domain/user';
import type { SessionStore } from '../identity/sessions';
import type { UserRepository } from '../persistence/users.repository';
import { auditOf, type Clock } from './invitations';

export interface UserChange {
  role: Role;
  programmeIds: string[];
  employerId: string | null;
  status: UserStatus;
}

/**
 * An admin changes a user's role, programmes, employer or status. A user whose access shrinks is
 * signed out everywhere, so the change holds at once on every device.
 */
export function makeChangeUser(deps: {
  users: UserRepository;
  sessions: SessionStore;
  clock: Clock;
  audit: Pick<AuditLog, 'record'>;
}) {
  return async (actor: User, userId: string, change: UserChange): Promise<User> => {
    const target = await deps.users.findById(userId);
    if (!target) throw AppError.notFound('user');
    const verdict = mayChangeUser(actor, target, change);
    if (verdict === 'not-admin') throw AppError.notFound('user');
    if (verdict === 'self-demotion')
      throw AppError.validation([{ path: 'role', message: 'errors.selfDemotion' }]);
    const status =
      target.status === 'invited' && change.status === 'active' ? 'invited' : change.status;
    const fields = { ...change, status, updatedAt: deps.clock.now() };
    await deps.audit.record(auditOf(actor, 'update', userId));
    await deps.users.update(userId, fields);
    if (accessChanged(target, fields)) await deps.sessions.destroyAllFor(userId);
    return { ...target, ...fields };
  };
}

const sameSet = (a: string[], b: string[]) =>
  a.length === b.length && a.every((x) => b.includes(x));

function accessChanged(before: User, after: UserChange): boolean {
  return (
    before.role !== after.role ||
    before.status !== after.status ||
    before.employerId !== after.employerId ||
    !sameSet(before.programmeIds, after.programmeIds)
  );
}

/** An admin opens a user's page (their name and email): audited as a read. */
export function makeViewUser(deps: { users: UserRepository; audit: Pick<AuditLog, 'record'> }) {
  return async (admin: User, userId: string): Promise<User> => {
    const user = await deps.users.findById(userId);
    if (!user) throw AppError.notFound('user');
    await deps.audit.record(auditOf(admin, 'read', userId));
    return user;
  };
}
