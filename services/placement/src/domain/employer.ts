import type { Region, Sector } from '@sanad/contracts';
import { AppError, type FieldProblem } from '@sanad/errors';
import type { Language } from './participant';

/** The vocabulary lives in contracts (the web app's forms use it too). */
export { REGIONS, SECTORS, type Region, type Sector } from '@sanad/contracts';

/** HR confirms placements and reports changes; a supervisor is named on a placement. */
export const CONTACT_ROLES = ['hr', 'supervisor'] as const;
export type ContactRole = (typeof CONTACT_ROLES)[number];

/** How many contacts an employer keeps: at least one to reach, at most what a form can show. */
export const MAX_CONTACTS = 20;

/**
 * A person at an employer the programme may reach. Their name and contact details live here and
 * nowhere else: placements and events name a contact by id.
 */
export interface EmployerContact {
  id: string;
  role: ContactRole;
  fullName: string;
  email: string | null;
  phone: string | null;
  preferredLanguage: Language;
}

/** An organisation that employs participants, with the people there the programme deals with. */
export interface Employer {
  id: string;
  name: string;
  sector: Sector;
  region: Region;
  contacts: EmployerContact[];
  /** Raised by one on every change. */
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** A contact as a caller gives it: with the id of one the employer has, or without for a new one. */
export interface ContactInput {
  id?: string;
  role: ContactRole;
  fullName: string;
  email?: string | null;
  phone?: string | null;
  preferredLanguage: Language;
}

export interface CreateEmployer {
  name: string;
  sector: Sector;
  region: Region;
  contacts: Omit<ContactInput, 'id'>[];
}

export interface UpdateEmployer {
  /** The version the caller decided on; another one is STALE_VERSION. */
  version: number;
  name: string;
  sector: Sector;
  region: Region;
  contacts: ContactInput[];
}

/** A source of fresh ids for new contacts (random in the service, fixed in tests). */
export type NewId = () => string;

const contactOf = (input: ContactInput, id: string): EmployerContact => ({
  id,
  role: input.role,
  fullName: input.fullName,
  email: input.email ?? null,
  phone: input.phone ?? null,
  preferredLanguage: input.preferredLanguage,
});

function checkContactCount(count: number): void {
  if (count < 1 || count > MAX_CONTACTS) {
    throw AppError.validation([
      { path: 'contacts', message: `from 1 to ${MAX_CONTACTS} contacts` },
    ]);
  }
}

/** Staff record an employer with its contacts; each contact gets an id of its own. */
export function createEmployer(
  command: CreateEmployer,
  { id, now, newId }: { id: string; now: Date; newId: NewId },
): Employer {
  checkContactCount(command.contacts.length);
  const at = now.toISOString();
  return {
    id,
    name: command.name,
    sector: command.sector,
    region: command.region,
    contacts: command.contacts.map((c) => contactOf(c, newId())),
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
}

/** What a create command asks for, in a form that compares: the contacts without their ids. */
const substance = (
  e: Pick<CreateEmployer, 'name' | 'sector' | 'region'> & { contacts: ContactInput[] },
) =>
  JSON.stringify([
    e.name,
    e.sector,
    e.region,
    e.contacts.map((c) => [
      c.role,
      c.fullName,
      c.email ?? null,
      c.phone ?? null,
      c.preferredLanguage,
    ]),
  ]);

/** Whether a repeated creation (same Idempotency-Key) asks for what is stored. */
export const sameEmployer = (employer: Employer, command: CreateEmployer): boolean =>
  substance(employer) === substance(command);

/**
 * The employer as the caller wants it, if they decided on its current version. A contact given with
 * an id keeps it (it must be one of this employer's, named once); one without gets a new id; a
 * contact left out is removed. Asking for what is stored changes nothing (no new version).
 */
export function updateEmployer(
  employer: Employer,
  command: UpdateEmployer,
  { now, newId }: { now: Date; newId: NewId },
): { employer: Employer; changed: boolean } {
  if (command.version !== employer.version) {
    throw new AppError(
      'STALE_VERSION',
      `the employer is at version ${employer.version}, not ${command.version}: reload and try again`,
    );
  }
  checkContactCount(command.contacts.length);
  const known = new Set(employer.contacts.map((c) => c.id));
  const seen = new Set<string>();
  const problems: FieldProblem[] = [];
  command.contacts.forEach((c, index) => {
    if (c.id === undefined) return;
    if (!known.has(c.id)) {
      problems.push({ path: `contacts.${index}.id`, message: 'not a contact of this employer' });
    } else if (seen.has(c.id)) {
      problems.push({ path: `contacts.${index}.id`, message: 'this contact is named twice' });
    }
    seen.add(c.id);
  });
  if (problems.length > 0) throw AppError.validation(problems);

  const next: Employer = {
    ...employer,
    name: command.name,
    sector: command.sector,
    region: command.region,
    contacts: command.contacts.map((c) => contactOf(c, c.id ?? newId())),
  };
  const unchanged =
    substance(next) === substance(employer) &&
    next.contacts.every((c, i) => c.id === employer.contacts[i]?.id);
  if (unchanged) return { employer, changed: false };
  return {
    employer: { ...next, version: employer.version + 1, updatedAt: now.toISOString() },
    changed: true,
  };
}

/**
 * Who gets the mail that asks the employer to confirm a placement: the first HR contact with an
 * email, else the first contact with one; null when no contact has an email.
 */
export function confirmationContactOf(employer: Employer): EmployerContact | null {
  const withEmail = employer.contacts.filter((c) => c.email !== null);
  return withEmail.find((c) => c.role === 'hr') ?? withEmail[0] ?? null;
}

/** The contacts a placement may name as the participant's supervisor. */
export const supervisorsOf = (employer: Employer): EmployerContact[] =>
  employer.contacts.filter((c) => c.role === 'supervisor');

/** The problem with naming this supervisor on a placement at this employer, if there is one. */
export function supervisorProblem(
  employer: Employer | null,
  supervisorId: string,
): FieldProblem | null {
  if (employer && supervisorsOf(employer).some((c) => c.id === supervisorId)) return null;
  return {
    path: 'supervisorId',
    message: "is not one of the employer's supervisors",
    code: 'not-a-supervisor',
  };
}
