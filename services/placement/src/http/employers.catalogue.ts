import { z } from 'zod';
import { AccessPurposeHeader, type DocumentedRoute } from '@sanad/service-kit';
import {
  CreateEmployerBody,
  EmployerIdParam,
  EmployerSummaryView,
  EmployerView,
  ListEmployersQuery,
  UpdateEmployerBody,
} from './employers.schemas';
import { IdempotencyHeader } from './placements.schemas';

const OneEmployer = z.object({ employer: EmployerView });

/** The employer routes of the service's catalogue (spread into `routes` in routes.ts). */
export const employerRoutes = {
  createEmployer: {
    method: 'POST',
    path: '/employers',
    doc: {
      summary: 'Record an employer with its contacts',
      description:
        'Programme staff (admins, managers, coaches) record the employers they place people with.',
      tags: ['employers'],
      headers: IdempotencyHeader.extend(AccessPurposeHeader.shape),
      body: CreateEmployerBody,
      responses: {
        201: { description: 'Recorded (`Location` names it).', schema: OneEmployer },
        200: {
          description: 'Recorded before with the same Idempotency-Key.',
          schema: OneEmployer,
        },
      },
      errors: [403, 409],
    },
  },
  listEmployers: {
    method: 'GET',
    path: '/employers',
    doc: {
      summary: 'List the employers the caller may see, by name (no contacts)',
      description: 'Staff see every employer; an employer user, their own.',
      tags: ['employers'],
      query: ListEmployersQuery,
      responses: {
        200: {
          description: 'The employers, without their contacts.',
          schema: z.object({ employers: z.array(EmployerSummaryView) }),
        },
      },
    },
  },
  getEmployer: {
    method: 'GET',
    path: '/employers/:employerId',
    doc: {
      summary: 'One employer with its contacts (the read is audited)',
      tags: ['employers'],
      params: EmployerIdParam,
      headers: AccessPurposeHeader,
      responses: { 200: { description: 'The employer.', schema: OneEmployer } },
      errors: [404],
    },
  },
  updateEmployer: {
    method: 'PUT',
    path: '/employers/:employerId',
    doc: {
      summary: "Replace an employer's name, sector, region and contacts",
      description:
        'Staff, or a user of the employer. Decided on `version`: another change first is a 409 ' +
        'STALE_VERSION. A contact named by id keeps it; one without an id is new.',
      tags: ['employers'],
      params: EmployerIdParam,
      headers: AccessPurposeHeader,
      body: UpdateEmployerBody,
      responses: { 200: { description: 'The employer as changed.', schema: OneEmployer } },
      errors: [404, 409],
    },
  },
} as const satisfies Record<string, DocumentedRoute>;
