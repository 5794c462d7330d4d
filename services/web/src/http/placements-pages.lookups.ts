import type { Caller } from '@sanad/auth';
import type { ServiceClient } from '../clients/service-client';
import type { User } from '../domain/user';
import type { ProgrammeRepository } from '../persistence/programmes.repository';
import type { UserRepository } from '../persistence/users.repository';

/** What the staff pages read of the placement service's answers. */
export interface PlacementView {
  id: string;
  participantId: string;
  employerId: string;
  programmeId: string;
  coachId: string;
  jobTitle: string;
  startDate: string;
  hoursPerWeek: number;
  wage: { amount: number; currency: string; period: 'hour' | 'week' | 'month' };
  supervisorId?: string | null;
  accommodations?: string[];
  status: 'recorded' | 'confirmed' | 'ended';
  version: number;
  recordedAt: string;
  confirmedAt?: string | null;
  ending?: { endDate: string; reason: string; initiatedBy: string } | null;
}

export interface EmployerSummary {
  id: string;
  name: string;
  sector: string;
  region: string;
}

export interface EmployerContact {
  id: string;
  role: 'hr' | 'supervisor';
  fullName: string;
  email: string | null;
  phone: string | null;
  preferredLanguage: 'ar' | 'en';
}

export interface EmployerView extends EmployerSummary {
  contacts: EmployerContact[];
  version: number;
  createdAt: string;
}

export const STAFF_ROLES = ['admin', 'programme-manager', 'coach'] as const;
export const isStaff = (user: User) => user.role !== 'employer-user';

/** The short form of an id, where a code or a name is not known: its first eight characters. */
export const shortId = (id: string) => id.slice(0, 8);

/** The employers the caller may see, by name (the service filters: an employer user sees theirs). */
export async function employersFor(
  client: ServiceClient,
  caller: Caller,
  filters: { sector?: string; region?: string; q?: string } = {},
): Promise<EmployerSummary[]> {
  const params = new URLSearchParams({ limit: '100' });
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  const answer = await client.get<{ employers: EmployerSummary[] }>(
    `/employers?${params.toString()}`,
    caller,
  );
  return answer?.employers ?? [];
}

/**
 * Participants' codes by id, from the list that carries no personal data (lists never show
 * names). Only staff may list participants; a coach's caseload narrows it when one is filtered.
 */
export async function participantCodes(
  client: ServiceClient,
  user: User,
  caller: Caller,
  coachId?: string,
): Promise<Map<string, string>> {
  if (!isStaff(user)) return new Map();
  const query = coachId ? `&coachId=${encodeURIComponent(coachId)}` : '';
  const answer = await client.get<{ participants: { id: string; code: string }[] }>(
    `/participants?limit=100${query}`,
    caller,
  );
  return new Map((answer?.participants ?? []).map((p) => [p.id, p.code]));
}

/** The programmes and coaches a user may filter or choose by (as on the participant pages). */
export async function programmesAndCoaches(
  user: User,
  deps: { users: UserRepository; programmes: ProgrammeRepository },
) {
  if (!isStaff(user)) return { programmes: [], coaches: [] };
  const programmes = (await deps.programmes.list()).filter(
    (p) => user.role === 'admin' || user.programmeIds.includes(p.id),
  );
  const coaches =
    user.role === 'coach'
      ? [user]
      : (await deps.users.activeWithRole('coach')).filter(
          (c) => user.role === 'admin' || c.programmeIds.some((p) => user.programmeIds.includes(p)),
        );
  return { programmes, coaches };
}
