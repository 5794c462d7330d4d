import { randomBytes, randomUUID } from 'node:crypto';
import { hashSecret } from '@sanad/signed-links';
import type { AuditLog } from '@sanad/audit';
import type { Role } from '@sanad/auth';
import { AppError } from '@sanad/errors';
import { passwordProblem, type PasswordProblem } from '../domain/password-policy';
import type { Locale, User } from '../domain/user';
import type { PasswordHasher } from '../identity/passwords';
import type { UserRepository } from '../persistence/users.repository';

export interface Invitee {
  email: string;
  displayName: string;
  role: Role;
  programmeIds: string[];
  employerId: string | null;
  locale: Locale;
}

export interface Clock {
  now(): Date;
}

/**
 * An admin invites a user: the account exists at once (status invited) with the hash of a one-time
 * secret; the link with the secret is shown to the admin once and is what the invitee opens.
 */
export function makeInviteUser(deps: {
  users: UserRepository;
  clock: Clock;
  ttlDays: number;
  audit: Pick<AuditLog, 'record'>;
}) {
  return async (admin: User, invitee: Invitee): Promise<{ user: User; secret: string }> => {
    const now = deps.clock.now();
    const secret = randomBytes(32).toString('base64url');
    const invitation = {
      hash: hashSecret(secret),
      expiresAt: new Date(now.getTime() + deps.ttlDays * 86_400_000),
    };
    const existing = await deps.users.findByEmail(invitee.email);
    if (existing) {
      if (existing.status !== 'invited')
        throw AppError.conflict('a user with this email exists', { field: 'email' });
      // inviting again replaces the old link, which stops working
      await deps.audit.record(auditOf(admin, 'update', existing.id));
      await deps.users.update(existing.id, { ...invitee, invitation, updatedAt: now });
      return { user: { ...existing, ...invitee, invitation, updatedAt: now }, secret };
    }
    const user: User = {
      id: randomUUID(),
      ...invitee,
      status: 'invited',
      passwordHash: null,
      invitation,
      createdAt: now,
      updatedAt: now,
    };
    await deps.audit.record(auditOf(admin, 'create', user.id));
    await deps.users.insert(user);
    return { user, secret };
  };
}

/** What the audit log keeps of an admin's change to a user: ids and fixed words, no email. */
export const auditOf = (admin: User, action: 'create' | 'update' | 'read', userId: string) => ({
  actor: { userId: admin.id, role: admin.role },
  action,
  subject: { type: 'user' as const, id: userId },
  purpose: 'administration' as const,
});

export type InvitationCheck =
  { ok: true; user: User } | { ok: false; reason: 'unknown' | 'expired' | 'used-up' };

export function makeCheckInvitation(deps: { users: UserRepository; clock: Clock }) {
  return async (secret: string): Promise<InvitationCheck> => {
    if (!/^[\w-]{20,100}$/.test(secret)) return { ok: false, reason: 'unknown' };
    const user = await deps.users.findByInvitation(hashSecret(secret));
    if (!user || !user.invitation) return { ok: false, reason: 'unknown' };
    if (user.status !== 'invited') return { ok: false, reason: 'used-up' };
    if (deps.clock.now() >= user.invitation.expiresAt) return { ok: false, reason: 'expired' };
    return { ok: true, user };
  };
}

export type AcceptResult =
  | { ok: true; user: User }
  | { ok: false; reason: 'unknown' | 'expired' | 'used-up' }
  | { ok: false; reason: 'weak-password'; problem: PasswordProblem };

/** The invitee chooses a password; the invitation is used up. */
export function makeAcceptInvitation(deps: {
  users: UserRepository;
  clock: Clock;
  passwords: PasswordHasher;
}) {
  const check = makeCheckInvitation(deps);
  return async (
    secret: string,
    { password, locale }: { password: string; locale: Locale },
  ): Promise<AcceptResult> => {
    const checked = await check(secret);
    if (!checked.ok) return checked;
    const { user } = checked;
    const problem = passwordProblem(password, user.email);
    if (problem) return { ok: false, reason: 'weak-password', problem };
    const now = deps.clock.now();
    const fields = {
      passwordHash: await deps.passwords.hash(password),
      status: 'active' as const,
      invitation: null,
      locale,
      updatedAt: now,
    };
    const changed = await deps.users.update(user.id, fields, {
      'invitation.hash': user.invitation?.hash,
      status: 'invited',
    });
    if (!changed) return { ok: false, reason: 'used-up' };
    return { ok: true, user: { ...user, ...fields } };
  };
}
