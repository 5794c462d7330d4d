import { z } from 'zod';
import {
  AccessPurposeHeader,
  auditRouteRefs,
  openApiRouteRefs,
  type DocumentedRoute,
  type RouteRef,
} from '@sanad/service-kit';
import { employerRoutes } from './employers.catalogue';
import {
  CheckinInvitationBody,
  CheckinInvitationOutcomeView,
} from './internal-invitations.schemas';
import {
  ChangeConsentsBody,
  EditParticipantBody,
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
  ChangePlacementBody,
  ConfirmPlacementBody,
  EmployerLinkView,
  EndPlacementBody,
  IdempotencyHeader,
  LinkSecretHeader,
  ListPlacementsQuery,
  OpenedLinkView,
  PlacementIdParam,
  PlacementView,
  RecordPlacementBody,
} from './placements.schemas';

const OnePlacement = z.object({ placement: PlacementView });
const RecordedPlacement = OnePlacement.extend({ employerLink: EmployerLinkView.optional() });
const ConfirmedByLink = OnePlacement.extend({ employerLink: EmployerLinkView.nullable() });
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
        201: {
          description:
            'Recorded (`Location` names it); `employerLink` says whether the confirmation link ' +
            "was mailed to the employer's contact.",
          schema: RecordedPlacement,
        },
        200: {
          description: 'Recorded before with the same Idempotency-Key.',
          schema: RecordedPlacement,
        },
      },
      errors: [403, 404, 409],
    },
  },
  listPlacements: {
    method: 'GET',
    path: '/placements',
    doc: {
      summary: 'List placements the caller may see, newest first, a page at a time',
      tags: ['placements'],
      query: ListPlacementsQuery,
      responses: {
        200: {
          description: 'A page of placements; `nextCursor` fetches the next (null on the last).',
          schema: z.object({
            placements: z.array(PlacementView),
            nextCursor: z.string().nullable(),
          }),
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
  confirmPlacement: {
    method: 'POST',
    path: '/placements/:placementId/confirmation',
    doc: {
      summary: 'Confirm a placement (its terms, corrected if need be)',
      description:
        'The employer (a user of its organisation) or the coach confirms the terms. Only a ' +
        'recorded placement can be confirmed (409 otherwise); a stale `version` answers 409.',
      tags: ['placements'],
      params: PlacementIdParam,
      headers: IdempotencyHeader,
      body: ConfirmPlacementBody,
      responses: { 200: { description: 'The placement, confirmed.', schema: OnePlacement } },
      errors: [404, 409],
    },
  },
  changePlacement: {
    method: 'POST',
    path: '/placements/:placementId/changes',
    doc: {
      summary: 'Report a change of hours, wage, role, supervisor or accommodations',
      tags: ['placements'],
      params: PlacementIdParam,
      headers: IdempotencyHeader,
      body: ChangePlacementBody,
      responses: { 200: { description: 'The placement, changed.', schema: OnePlacement } },
      errors: [404, 409],
    },
  },
  endPlacement: {
    method: 'POST',
    path: '/placements/:placementId/ending',
    doc: {
      summary: 'Report the end of the employment',
      tags: ['placements'],
      params: PlacementIdParam,
      headers: IdempotencyHeader,
      body: EndPlacementBody,
      responses: { 200: { description: 'The placement, ended.', schema: OnePlacement } },
      errors: [404, 409],
    },
  },
  sendEmployerLink: {
    method: 'POST',
    path: '/placements/:placementId/employer-link',
    doc: {
      summary: "Mail the employer's contact the link the placement's state calls for",
      description:
        'Recorded: the link to confirm it; confirmed: the link to report changes and the end. ' +
        'Older links of that kind stop working. Not for employer users (403); ended: 409.',
      tags: ['placements'],
      params: PlacementIdParam,
      responses: {
        200: {
          description: 'Whether the mail went out, to which contact, until when.',
          schema: z.object({ employerLink: EmployerLinkView }),
        },
      },
      errors: [403, 404, 409],
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
  editParticipant: {
    method: 'PUT',
    path: '/participants/:participantId',
    doc: {
      summary: "Correct a participant's record (the change is audited)",
      description:
        'Name, contact details, language, accommodation needs or disability category (this one ' +
        'only with the reportingByCategory consent), decided on `version`. A pseudonymised or ' +
        'erased participant has no record to correct (409).',
      tags: ['participants'],
      params: ParticipantIdParam,
      headers: AccessPurposeHeader,
      body: EditParticipantBody,
      responses: { 200: { description: 'The participant as changed.', schema: OneParticipant } },
      errors: [404, 409],
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
  ...employerRoutes,
  ...auditRouteRefs,
} as const satisfies Record<string, DocumentedRoute>;

export const routeCatalogue: readonly RouteRef[] = Object.values(routes);

/**
 * The service's own routes that need no user token (besides the probes every service has): open,
 * with a signed link's secret, or with another service's own token (the internal ones).
 */
export const publicRoutes = {
  ...openApiRouteRefs,
  openEmployerLink: {
    method: 'GET',
    path: '/employer-link',
    doc: {
      summary: "What an employer's signed link shows (the secret in X-Link-Secret)",
      description:
        'The placement, its employer and supervisors, and the name of the person employed. The ' +
        "link's secret is the credential; the read is audited as the link holder's.",
      tags: ['employer links'],
      headers: LinkSecretHeader,
      responses: { 200: { description: 'What the form shows.', schema: OpenedLinkView } },
      errors: [410],
    },
  },
  confirmByEmployerLink: {
    method: 'POST',
    path: '/employer-link/confirmation',
    doc: {
      summary: 'The employer confirms the placement through a confirmation link',
      description:
        'As POST /placements/{placementId}/confirmation. The link for later changes is mailed ' +
        'once confirmed (`employerLink`; null for a retry with the same Idempotency-Key).',
      tags: ['employer links'],
      headers: LinkSecretHeader.extend(IdempotencyHeader.shape),
      body: ConfirmPlacementBody,
      responses: { 200: { description: 'The placement, confirmed.', schema: ConfirmedByLink } },
      errors: [404, 409, 410],
    },
  },
  changeByEmployerLink: {
    method: 'POST',
    path: '/employer-link/changes',
    doc: {
      summary: 'The employer reports a change through a report link',
      tags: ['employer links'],
      headers: LinkSecretHeader.extend(IdempotencyHeader.shape),
      body: ChangePlacementBody,
      responses: { 200: { description: 'The placement, changed.', schema: OnePlacement } },
      errors: [404, 409, 410],
    },
  },
  endByEmployerLink: {
    method: 'POST',
    path: '/employer-link/ending',
    doc: {
      summary: 'The employer reports the end of the employment through a report link',
      tags: ['employer links'],
      headers: LinkSecretHeader.extend(IdempotencyHeader.shape),
      body: EndPlacementBody,
      responses: { 200: { description: 'The placement, ended.', schema: OnePlacement } },
      errors: [404, 409, 410],
    },
  },
  sendCheckinInvitation: {
    method: 'POST',
    path: '/internal/checkin-invitations',
    doc: {
      summary: "The check-in service asks for a check-in's link to be mailed (service to service)",
      description:
        "Not for users: the bearer token is the check-in service's own (EdDSA, issuer " +
        'sanad-checkin, audience placement), checked with CHECKIN_TOKEN_PUBLIC_KEY; a web ' +
        "user's token answers 401, and 503 when no key is configured. Mails the participant " +
        "(with the followUp consent) or the placement's supervisor (with the employerContact " +
        'consent) in their language, or says why not.',
      tags: ['internal'],
      body: CheckinInvitationBody,
      responses: {
        200: {
          description: 'Sent (in which language), or why not.',
          schema: CheckinInvitationOutcomeView,
        },
      },
      errors: [404],
    },
  },
} as const satisfies Record<string, DocumentedRoute>;

export const publicRouteCatalogue: readonly RouteRef[] = Object.values(publicRoutes);
