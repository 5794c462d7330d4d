import { z } from 'zod';
import { REGIONS, SECTORS } from '@sanad/contracts';

export const CONTACT_ROLES = ['hr', 'supervisor'] as const;
/** The service keeps at most this many contacts per employer. */
export const MAX_CONTACTS = 20;
/** Blank contact rows a new employer's form shows: enough without JavaScript to add rows. */
export const NEW_CONTACT_ROWS = 4;
/** Blank rows the edit form adds after the employer's contacts. */
export const EXTRA_CONTACT_ROWS = 2;

const blankAsUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess(blankAsUndefined, schema.optional());

/** One contact row of the form; its fields are named `contacts.<row>.<field>`. */
const ContactRow = z.object({
  id: optional(z.uuid()),
  role: z.enum(CONTACT_ROLES, 'errors.chooseOne'),
  fullName: z.string().trim().min(1, 'errors.nameRequired').max(120, 'errors.tooLong'),
  email: optional(z.string().trim().max(254, 'errors.tooLong').pipe(z.email('errors.email'))),
  phone: z.preprocess(
    (v) => (typeof v === 'string' ? v.replace(/[\s-]/g, '') || undefined : v),
    z
      .string()
      .regex(/^\+[1-9]\d{7,14}$/, 'errors.phone')
      .optional(),
  ),
  preferredLanguage: z.enum(['ar', 'en'], 'errors.chooseLanguage'),
});
export type ContactRow = z.infer<typeof ContactRow>;

type FlatBody = Record<string, unknown>;

/** The row numbers the submitted form has (`contacts.3.fullName` -> 3), in order. */
export function rowNumbers(body: FlatBody): number[] {
  const rows = new Set<number>();
  for (const key of Object.keys(body)) {
    const match = /^contacts\.(\d{1,2})\./.exec(key);
    if (match && Number(match[1]) < MAX_CONTACTS + EXTRA_CONTACT_ROWS) rows.add(Number(match[1]));
  }
  return [...rows].sort((a, b) => a - b);
}

const rowOf = (body: FlatBody, row: number) =>
  Object.fromEntries(
    ['id', 'role', 'fullName', 'email', 'phone', 'preferredLanguage'].map((f) => [
      f,
      body[`contacts.${row}.${f}`],
    ]),
  );

/** A row nobody filled in (role and language always have a value: they are selects). */
const isBlank = (row: Record<string, unknown>) =>
  ['fullName', 'email', 'phone'].every((f) => typeof row[f] !== 'string' || row[f].trim() === '');

/**
 * The employer form, flat as a browser sends it. Blank rows are left out (on the edit form, a
 * contact whose row is emptied is removed); filled rows must be whole; among them at least one HR
 * contact with an email address, who gets the placement confirmation links.
 */
const EmployerFields = z
  .object({
    name: z.string().trim().min(1, 'employers.errors.name').max(200, 'errors.tooLong'),
    sector: z.enum(SECTORS, 'employers.errors.sector'),
    region: z.enum(REGIONS, 'employers.errors.region'),
    version: optional(z.coerce.number().int().min(1)),
    idempotencyKey: optional(z.uuid()),
  })
  .loose();

export const EmployerForm = z.record(z.string(), z.unknown()).transform((body, ctx) => {
  // the employer's fields and its contact rows are checked together: every error at once
  const fields = EmployerFields.safeParse(body);
  if (!fields.success) {
    for (const issue of fields.error.issues) ctx.addIssue(issue as z.core.$ZodRawIssue);
  }
  const contacts: { row: number; contact: ContactRow }[] = [];
  const rows = rowNumbers(body);
  for (const row of rows) {
    const raw = rowOf(body, row);
    if (isBlank(raw)) continue;
    const parsed = ContactRow.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        ctx.addIssue({ ...issue, path: ['contacts', row, ...issue.path] } as z.core.$ZodRawIssue);
      }
      continue;
    }
    contacts.push({ row, contact: parsed.data });
  }
  const invalidRows = ctx.issues.some((i) => i.path?.[0] === 'contacts');
  const hr = contacts.filter((c) => c.contact.role === 'hr');
  if (invalidRows) {
    // the rows' own errors first
  } else if (contacts.length === 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['contacts', rows[0] ?? 0, 'fullName'],
      message: 'employers.errors.needContact',
    });
  } else if (hr.length === 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['contacts', contacts[0]!.row, 'role'],
      message: 'employers.errors.needHr',
    });
  } else if (!hr.some((c) => c.contact.email)) {
    ctx.addIssue({
      code: 'custom',
      path: ['contacts', hr[0]!.row, 'email'],
      message: 'employers.errors.hrEmail',
    });
  } else if (contacts.length > MAX_CONTACTS) {
    ctx.addIssue({
      code: 'custom',
      path: ['contacts', contacts[MAX_CONTACTS]!.row, 'fullName'],
      message: 'employers.errors.tooManyContacts',
    });
  }
  if (!fields.success) return z.NEVER;
  const { name, sector, region, version, idempotencyKey } = fields.data;
  return { name, sector, region, version, idempotencyKey, contacts };
});
export type EmployerForm = z.output<typeof EmployerForm>;

/** The contacts as the service takes them; `rows[i]` is the form row of the i-th one. */
export function contactsBody(form: EmployerForm, { keepIds }: { keepIds: boolean }) {
  return {
    rows: form.contacts.map((c) => c.row),
    contacts: form.contacts.map(({ contact }) => ({
      ...(keepIds && contact.id ? { id: contact.id } : {}),
      role: contact.role,
      fullName: contact.fullName,
      email: contact.email ?? null,
      phone: contact.phone ?? null,
      preferredLanguage: contact.preferredLanguage,
    })),
  };
}

/** The employer form's own fields above the contact rows (a problem elsewhere lands on the first). */
const EMPLOYER_FIELDS = ['name', 'sector', 'region'];

/**
 * A service problem's path as this form's field: `contacts.2.email` names the third contact
 * sent, which is form row `rows[2]`. A path that is no field of the form (the version) lands on
 * its first field, so that the error summary's link leads to an input.
 */
export function employerFieldOf(path: string, rows: readonly number[]): string {
  const [first = '', index, field] = path.split('.');
  if (first !== 'contacts') return EMPLOYER_FIELDS.includes(first) ? first : 'name';
  const row = index === undefined ? undefined : rows[Number(index)];
  return row === undefined
    ? `contacts.${rows[0] ?? 0}.fullName`
    : `contacts.${row}.${field ?? 'fullName'}`;
}

/** An employer's contacts as the form's flat values, with blank rows after them. */
export function formValuesOf(employer: {
  name: string;
  sector: string;
  region: string;
  version: number;
  contacts: readonly {
    id: string;
    role: string;
    fullName: string;
    email: string | null;
    phone: string | null;
    preferredLanguage: string;
  }[];
}): { values: Record<string, unknown>; rowCount: number } {
  const values: Record<string, unknown> = {
    name: employer.name,
    sector: employer.sector,
    region: employer.region,
    version: String(employer.version),
  };
  employer.contacts.forEach((c, i) => {
    values[`contacts.${i}.id`] = c.id;
    values[`contacts.${i}.role`] = c.role;
    values[`contacts.${i}.fullName`] = c.fullName;
    values[`contacts.${i}.email`] = c.email ?? '';
    values[`contacts.${i}.phone`] = c.phone ?? '';
    values[`contacts.${i}.preferredLanguage`] = c.preferredLanguage;
  });
  return {
    values,
    rowCount: Math.min(employer.contacts.length + EXTRA_CONTACT_ROWS, MAX_CONTACTS),
  };
}

/** How many rows to show again for a submitted form: as many as it had. */
export const rowCountOf = (body: FlatBody, atLeast: number) =>
  Math.max(atLeast, (rowNumbers(body).at(-1) ?? -1) + 1);

export const EmployerIdParam = z.object({ employerId: z.uuid() });

/** The list's filters: a sector, a region, part of the name. */
export const EmployerFilters = z.object({
  sector: optional(z.enum(SECTORS, 'employers.errors.sector')),
  region: optional(z.enum(REGIONS, 'employers.errors.region')),
  q: optional(z.string().trim().max(100, 'errors.tooLong')),
});
export type EmployerFilters = z.infer<typeof EmployerFilters>;
