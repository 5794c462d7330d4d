import type { Caller, Role } from '@sanad/auth';

export type UserStatus = 'invited' | 'active' | 'disabled';
export type Locale = 'ar' | 'en';

/** A person who signs in: staff of a programme or of an employer. Participants have no account. */
export interface User {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  programmeIds: string[];
  employerId: string | null;
  locale: Locale;
  status: UserStatus;
  /** argon2id; null until the invitation is accepted. */
  passwordHash: string | null;
  /** sha256 of the invitation secret while the invitation is open. */
  invitation: { hash: string; expiresAt: Date } | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What the services are told about a user: ids and role, never a name or an email. */
export const callerOf = (
  user: Pick<User, 'id' | 'role' | 'programmeIds' | 'employerId'>,
): Caller => ({
  userId: user.id,
  role: user.role,
  programmeIds: user.programmeIds,
  employerId: user.role === 'employer-user' ? user.employerId : null,
});

export interface NavItem {
  href: string;
  labelKey: string;
}

/** The pages a role has, in the order the navigation shows them. */
export function navigationFor(role: Role): NavItem[] {
  const items: NavItem[] = [{ href: '/', labelKey: 'nav.home' }];
  if (role !== 'employer-user') items.push({ href: '/participants', labelKey: 'nav.participants' });
  // placements and employers: every role (an employer user sees their own organisation's)
  items.push(
    { href: '/placements', labelKey: 'nav.placements' },
    { href: '/employers', labelKey: 'employers.nav' },
  );
  // the check-ins due across the caseload (coach) or the programme (manager, admin)
  if (role !== 'employer-user') items.push({ href: '/checkins', labelKey: 'nav.checkins' });
  if (role === 'admin') {
    items.push(
      { href: '/admin/users', labelKey: 'nav.users' },
      { href: '/admin/programmes', labelKey: 'nav.programmes' },
      { href: '/admin/audit', labelKey: 'nav.audit' },
    );
  }
  items.push({ href: '/account', labelKey: 'nav.account' });
  return items;
}

/** Only an admin manages users; nobody may lock themselves out by demoting or disabling themselves. */
export function mayChangeUser(
  actor: Pick<User, 'id' | 'role'>,
  target: Pick<User, 'id'>,
  change: { role: Role; status: UserStatus },
): 'ok' | 'not-admin' | 'self-demotion' {
  if (actor.role !== 'admin') return 'not-admin';
  if (actor.id === target.id && (change.role !== 'admin' || change.status !== 'active'))
    return 'self-demotion';
  return 'ok';
}
