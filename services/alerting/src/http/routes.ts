import type { RouteRef } from '@sanad/service-kit';

/**
 * Every route of the alerting service's API, in one place. The access-matrix test holds the
 * express app to this list and every entry to its access rules, so no route goes unchecked.
 */
export const routes = {
  getFacts: { method: 'GET', path: '/placements/:placementId/facts' },
} as const satisfies Record<string, RouteRef>;

export const routeCatalogue: readonly RouteRef[] = Object.values(routes);
