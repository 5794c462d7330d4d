import { z } from 'zod';
import { Id, IsoDateTime, Region, Sector } from '@sanad/contracts';
import { CONTACT_ROLES, MAX_CONTACTS } from '../domain/employer';
import { LANGUAGES } from '../domain/participant';
import { Phone } from './participants.schemas';
import { ListLimit } from './placements.schemas';

const EmployerName = z.string().trim().min(1).max(200);

/** A contact's fields as a caller gives them; no email or phone is null (or left out). */
const contactFields = {
  role: z.enum(CONTACT_ROLES),
  fullName: z.string().trim().min(1).max(120),
  email: z.email().max(254).nullable().optional(),
  phone: Phone.nullable().optional(),
  preferredLanguage: z.enum(LANGUAGES),
};

const contactList = <T extends z.ZodType>(contact: T) =>
  z
    .array(contact)
    .min(1, 'at least one contact')
    .max(MAX_CONTACTS, `at most ${MAX_CONTACTS} contacts`);

/** POST /employers. Unknown fields are refused, not ignored. */
export const CreateEmployerBody = z
  .object({
    name: EmployerName,
    sector: Sector,
    region: Region,
    contacts: contactList(z.object(contactFields).strict()),
  })
  .strict();
export type CreateEmployerBody = z.infer<typeof CreateEmployerBody>;

/**
 * PUT /employers/:employerId: the whole employer as it should be, decided on `version`. A contact
 * with `id` keeps it; one without is new; one left out is removed.
 */
export const UpdateEmployerBody = z
  .object({
    version: z.number().int().min(1),
    name: EmployerName,
    sector: Sector,
    region: Region,
    contacts: contactList(
      z
        .object({
          id: Id.optional().meta({
            description: 'A contact of this employer, kept as it is named.',
          }),
          ...contactFields,
        })
        .strict(),
    ),
  })
  .strict();
export type UpdateEmployerBody = z.infer<typeof UpdateEmployerBody>;

export const EmployerIdParam = z.object({ employerId: Id });

/** GET /employers: by name, `limit` of them (1 to 100, 50 if not said). */
export const ListEmployersQuery = z
  .object({
    limit: ListLimit.meta({ description: 'How many, by name: 1 to 100 (50 if not said).' }),
    sector: Sector.optional(),
    region: Region.optional(),
    q: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .meta({ description: 'Part of the name, in any case.' }),
  })
  .strict();
export type ListEmployersQuery = z.infer<typeof ListEmployersQuery>;

export const EmployerContactView = z
  .object({
    id: Id,
    role: z.enum(CONTACT_ROLES),
    fullName: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    preferredLanguage: z.enum(LANGUAGES),
  })
  .meta({ id: 'EmployerContact' });
export type EmployerContactView = z.infer<typeof EmployerContactView>;

/** An employer with its contacts, for those who may see it. */
export const EmployerView = z
  .object({
    id: Id,
    name: z.string(),
    sector: Sector,
    region: Region,
    contacts: z.array(EmployerContactView),
    version: z.number().int().min(1),
    createdAt: IsoDateTime,
  })
  .meta({ id: 'Employer' });
export type EmployerView = z.infer<typeof EmployerView>;

/** What a list shows: no contacts. */
export const EmployerSummaryView = EmployerView.pick({
  id: true,
  name: true,
  sector: true,
  region: true,
}).meta({ id: 'EmployerSummary' });
export type EmployerSummaryView = z.infer<typeof EmployerSummaryView>;
