import { z } from 'zod';
import {
  AccessPurposeHeader,
  auditRouteRefs,
  openApiRouteRefs,
  type DocumentedRoute,
  type RouteRef,
} from '@sanad/service-kit';
import {
  LinkAnswersBody,
  LinkAnswerView,
  LinkSecretHeader,
  OpenedCheckinLinkView,
} from './checkin-link.schemas';
import {
  CheckinRecordView,
  DueQuery,
  DueTaskView,
  FollowUpsView,
  IdempotencyHeader,
  PlacementIdParam,
  ReconcileReportView,
  RecordCheckinBody,
} from './follow-ups.schemas';
import { PolicyView, ProgrammeIdParam, PutPolicyBody, SavedPolicyView } from './policy.schemas';

/**
 * Every route of the check-in service's API, in one place, each with its documentation (the
 * OpenAPI document is made from these entries and the schemas the routes parse with). The
 * access-matrix test holds the express app to this list and every entry to its access rules, so
 * no route goes unchecked.
 */
export const routes = {
  getFollowUps: {
    method: 'GET',
    path: '/placements/:placementId/follow-ups',
    doc: {
      summary: "A placement's follow-up plan and the answers recorded (the read is audited)",
      description:
        'Each check-in with the job it waits on (null once settled), and the answers newest ' +
        'first. Notes are shown to programme staff only; an employer user sees the plan and ' +
        "their supervisors' answers only. None before placement.recorded arrived, but for admins.",
      tags: ['follow-ups'],
      params: PlacementIdParam,
      headers: AccessPurposeHeader,
      responses: { 200: { description: 'The plan and its answers.', schema: FollowUpsView } },
      errors: [404],
    },
  },
  recordCheckin: {
    method: 'POST',
    path: '/placements/:placementId/checkins',
    doc: {
      summary: "Record a coach's contact (a visit, a call or a message) and its answers",
      description:
        'Only a two-way contact completes the check-in it names (`checkinId`); without one it is ' +
        'a contact outside the plan. Not for employer users (404). A `checkinId` that is not a ' +
        'check-in of this placement for the coach answers 400; an ended placement, a check-in ' +
        'answered already or no longer asked, or a reused Idempotency-Key, 409.',
      tags: ['follow-ups'],
      params: PlacementIdParam,
      headers: IdempotencyHeader.extend(AccessPurposeHeader.shape),
      body: RecordCheckinBody,
      responses: {
        201: { description: 'Recorded.', schema: CheckinRecordView },
        200: {
          description: 'Recorded before with the same Idempotency-Key and answers.',
          schema: CheckinRecordView,
        },
      },
      errors: [404, 409],
    },
  },
  listDue: {
    method: 'GET',
    path: '/checkins/due',
    doc: {
      summary: "The check-ins waiting on someone, oldest first: the coach's task list",
      description:
        'Due, or missed and unanswered, in the open plans the caller may see. An employer user ' +
        'has none.',
      tags: ['follow-ups'],
      query: DueQuery,
      responses: {
        200: {
          description: 'Up to `limit` check-ins.',
          schema: z.object({ items: z.array(DueTaskView) }),
        },
      },
    },
  },
  getPolicy: {
    method: 'GET',
    path: '/programmes/:programmeId/follow-up-policy',
    doc: {
      summary: "A programme's follow-up policy (the default one, version 0, if never changed)",
      tags: ['policies'],
      params: ProgrammeIdParam,
      responses: { 200: { description: 'The policy.', schema: PolicyView } },
      errors: [404],
    },
  },
  putPolicy: {
    method: 'PUT',
    path: '/programmes/:programmeId/follow-up-policy',
    doc: {
      summary: "Change a programme's follow-up policy (admins only)",
      description:
        'Decided on `version` (409 when another change came first). The new policy applies to ' +
        'plans made after it, and to the open plans too with `replanOpen`.',
      tags: ['policies'],
      params: ProgrammeIdParam,
      body: PutPolicyBody,
      responses: {
        200: {
          description: 'The policy saved, and how many open plans were re-planned.',
          schema: SavedPolicyView,
        },
      },
      errors: [403, 404, 409],
    },
  },
  reconcile: {
    method: 'POST',
    path: '/follow-ups/reconcile',
    doc: {
      summary: 'Make again the jobs Redis lost, and send invitations left unsent (admins only)',
      tags: ['follow-ups'],
      responses: {
        200: { description: 'What the reconcile found and did.', schema: ReconcileReportView },
      },
      errors: [403],
    },
  },
} as const satisfies Record<string, DocumentedRoute>;

/** The service's own routes and its admin-only audit log routes. */
export const routeCatalogue: readonly RouteRef[] = [
  ...Object.values(routes),
  ...Object.values(auditRouteRefs),
];

/**
 * The routes that need no user token (besides the probes every service has): this document, and
 * the routes for the holder of a signed check-in link, whose secret is the credential.
 */
export const publicRoutes = {
  ...openApiRouteRefs,
  openLink: {
    method: 'GET',
    path: '/checkin-link',
    doc: {
      summary: 'What a check-in link shows (the secret in X-Link-Secret)',
      description:
        "The check-in's respondent, milestone and due day, the job title and whether it was " +
        "answered. The link's secret is the credential; never cached.",
      tags: ['check-in links'],
      headers: LinkSecretHeader,
      responses: { 200: { description: 'What the form shows.', schema: OpenedCheckinLinkView } },
      errors: [410],
    },
  },
  answerLink: {
    method: 'POST',
    path: '/checkin-link/answers',
    doc: {
      summary: "The participant's or supervisor's answers, through their check-in link",
      description:
        "The link decides whose answers they are: a participant's link takes a participant's " +
        "answers, a supervisor's link a supervisor's (400 naming `answers` otherwise). A check-in " +
        'answered already, no longer asked or of an ended placement, or a reused ' +
        'Idempotency-Key, answers 409.',
      tags: ['check-in links'],
      headers: LinkSecretHeader.extend(IdempotencyHeader.shape),
      body: LinkAnswersBody,
      responses: {
        201: { description: 'Recorded.', schema: LinkAnswerView },
        200: {
          description: 'Recorded before with the same Idempotency-Key and answers.',
          schema: LinkAnswerView,
        },
      },
      errors: [404, 409, 410],
    },
  },
} as const satisfies Record<string, DocumentedRoute>;

export const publicRouteCatalogue: readonly RouteRef[] = Object.values(publicRoutes);
