import { z } from 'zod';
import {
  AccessPurposeHeader,
  auditRouteRefs,
  openApiRouteRefs,
  type DocumentedRoute,
  type RouteRef,
} from '@sanad/service-kit';
import {
  ChangeConsentsBody,
  ErasureBody,
  ListParticipantsQuery,
  ParticipantExportView,
  ParticipantIdParam,
  ParticipantSummaryView,
  ParticipantView,
  ReassignCoachBody,
  RegisterParticipantBody,
} from './participants.schemas';
import {
  IdempotencyHeader,
  ListPlacementsQuery,
  PlacementIdParam,
  PlacementView,
  RecordPlacementBody,
} from './placements.schemas';

const OnePlacement = z.object({ placement: PlacementView });
const OneParticipant = z.object({ participant: ParticipantView });

/**
 * Every route of the placement service's API, in one place, each with its documentation (the
 * OpenAPI document is made from these entries and the schemas the routes parse with). The
 * access-matrix test holds the express app to this list and every entry to its access rules, so
 * no route goes unchecked.
 */
export const routes = {
  recordPlacement: {
    method: 'POST',
    path: '/placements',
    doc: {
      summary: 'Record a placement',
      description:
        'A coach (or their programme manager, or an admin) records that a participant started a job.',
      tags: ['placements'],
      headers: IdempotencyHeader,
      body: RecordPlacementBody,
      responses: {
        201: { description: 'Recorded (`Location` names it).', schema: OnePlacement },
        200: {
          description: 'Recorded before with the same Idempotency-Key.',
          schema: OnePlacement,
        },
      },
      errors: [403, 404, 409],
    },
  },
  listPlacements: {
    method: 'GET',
    path: '/placements',
    doc: {
      summary: 'List placements the caller may see, newest first',
      tags: ['placements'],
      query: ListPlacementsQuery,
      responses: {
        200: {
          description: 'The placements.',
          schema: z.object({ placements: z.array(PlacementView) }),
        },
      },
    },
  },
  getPlacement: {
    method: 'GET',
    path: '/placements/:placementId',
    doc: {
      summary: 'One placement',
      tags: ['placements'],
      params: PlacementIdParam,
      headers: AccessPurposeHeader,
      responses: { 200: { description: 'The placement.', schema: OnePlacement } },
      errors: [404],
    },
  },
  registerParticipant: {
    method: 'POST',
    path: '/participants',
    doc: {
      summary: 'Register a participant',
      tags: ['participants'],
      headers: IdempotencyHeader.extend(AccessPurposeHeader.shape),
      body: RegisterParticipantBody,
      responses: {
        201: { description: 'Registered (`Location` names them).', schema: OneParticipant },
        200: {
          description: 'Registered before with the same Idempotency-Key.',
          schema: OneParticipant,
        },
      },
      errors: [403, 404, 409],
    },
  },
  listParticipants: {
    method: 'GET',
    path: '/participants',
    doc: {
      summary: 'List participants the caller may see, newest first (no personal data)',
      tags: ['participants'],
      query: ListParticipantsQuery,
      responses: {
        200: {
          description: 'The participants, without names, contact details or disability.',
          schema: z.object({ participants: z.array(ParticipantSummaryView) }),
        },
      },
    },
  },
  getParticipant: {
    method: 'GET',
    path: '/participants/:participantId',
    doc: {
      summary: "One participant's record (the read is audited)",
      tags: ['participants'],
      params: ParticipantIdParam,
      headers: AccessPurposeHeader,
      responses: { 200: { description: 'The participant.', schema: OneParticipant } },
      errors: [404],
    },
  },
  changeConsents: {
    method: 'PUT',
    path: '/participants/:participantId/consents',
    doc: {
      summary: 'Give or withdraw consents',
      tags: ['participants'],
      params: ParticipantIdParam,
      headers: AccessPurposeHeader,
      body: ChangeConsentsBody,
      responses: { 200: { description: 'The participant as changed.', schema: OneParticipant } },
      errors: [404, 409],
    },
  },
  reassignCoach: {
    method: 'PUT',
    path: '/participants/:participantId/coach',
    doc: {
      summary:
        "Move a participant (and their placements that have not ended) to another coach's caseload",
      tags: ['participants'],
      params: ParticipantIdParam,
      headers: AccessPurposeHeader,
      body: ReassignCoachBody,
      responses: { 200: { description: 'The participant as changed.', schema: OneParticipant } },
      errors: [403, 404, 409],
    },
  },
  exportParticipant: {
    method: 'GET',
    path: '/participants/:participantId/export',
    doc: {
      summary: 'Data-subject access: everything held about a participant',
      tags: ['participants'],
      params: ParticipantIdParam,
      headers: AccessPurposeHeader,
      responses: {
        200: {
          description: 'The participant, their placements and the audit records about them.',
          schema: ParticipantExportView,
          attachment: true,
        },
      },
      errors: [403, 404],
    },
  },
  eraseParticipant: {
    method: 'POST',
    path: '/participants/:participantId/erasure',
    doc: {
      summary: 'Pseudonymise or erase a participant',
      tags: ['participants'],
      params: ParticipantIdParam,
      headers: AccessPurposeHeader,
      body: ErasureBody,
      responses: {
        200: { description: 'What is left of the participant.', schema: OneParticipant },
      },
      errors: [403, 404],
    },
  },
  ...auditRouteRefs,
} as const satisfies Record<string, DocumentedRoute>;

export const routeCatalogue: readonly RouteRef[] = Object.values(routes);

/** The service's own routes that need no token (besides the probes every service has). */
export const publicRoutes = {
  ...openApiRouteRefs,
} as const satisfies Record<string, DocumentedRoute>;

export const publicRouteCatalogue: readonly RouteRef[] = Object.values(publicRoutes);
