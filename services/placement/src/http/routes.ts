import { auditRouteRefs, type RouteRef } from '@sanad/service-kit';

/**
 * Every route of the placement service's API, in one place. The access-matrix test holds the
 * express app to this list and every entry to its access rules, so no route goes unchecked.
 */
export const routes = {
  recordPlacement: { method: 'POST', path: '/placements' },
  listPlacements: { method: 'GET', path: '/placements' },
  getPlacement: { method: 'GET', path: '/placements/:placementId' },
  registerParticipant: { method: 'POST', path: '/participants' },
  listParticipants: { method: 'GET', path: '/participants' },
  getParticipant: { method: 'GET', path: '/participants/:participantId' },
  changeConsents: { method: 'PUT', path: '/participants/:participantId/consents' },
  reassignCoach: { method: 'PUT', path: '/participants/:participantId/coach' },
  exportParticipant: { method: 'GET', path: '/participants/:participantId/export' },
  eraseParticipant: { method: 'POST', path: '/participants/:participantId/erasure' },
  ...auditRouteRefs,
} as const satisfies Record<string, RouteRef>;

export const routeCatalogue: readonly RouteRef[] = Object.values(routes);
