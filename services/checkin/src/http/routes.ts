import { auditRouteRefs, type RouteRef } from '@sanad/service-kit';

/**
 * Every route of the check-in service's API, in one place. The access-matrix test holds the
 * express app to this list and every entry to its access rules, so no route goes unchecked.
 */
export const routes = {
  getFollowUps: { method: 'GET', path: '/placements/:placementId/follow-ups' },
  recordCheckin: { method: 'POST', path: '/placements/:placementId/checkins' },
  listDue: { method: 'GET', path: '/checkins/due' },
  getPolicy: { method: 'GET', path: '/programmes/:programmeId/follow-up-policy' },
  putPolicy: { method: 'PUT', path: '/programmes/:programmeId/follow-up-policy' },
  reconcile: { method: 'POST', path: '/follow-ups/reconcile' },
} as const satisfies Record<string, RouteRef>;

/** The service's own routes and its admin-only audit log routes. */
export const routeCatalogue: readonly RouteRef[] = [
  ...Object.values(routes),
  ...Object.values(auditRouteRefs),
];

/** Routes for the holder of a signed check-in link: no account, the link's secret is the credential. */
export const publicRoutes = {
  openLink: { method: 'GET', path: '/checkin-link' },
  answerLink: { method: 'POST', path: '/checkin-link/answers' },
} as const satisfies Record<string, RouteRef>;

export const publicRouteCatalogue: readonly RouteRef[] = Object.values(publicRoutes);
