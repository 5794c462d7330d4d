import { maySeePlacement, placementFilterFor, type Caller } from '@sanad/auth';
import { AppError } from '@sanad/errors';
import type { Placement } from '../domain/placement';
import type {
  AccessContext,
  AuditTrail,
  PlacementListFilters,
  PlacementPage,
  PlacementRepository,
} from './ports';

/**
 * One placement, if the caller may see it (otherwise it does not exist, for them), recorded in the
 * audit log as a read before it is returned.
 */
export const makeGetPlacement =
  ({ placements, audit }: { placements: PlacementRepository; audit: AuditTrail }) =>
  async ({
    context,
    placementId,
  }: {
    context: AccessContext;
    placementId: string;
  }): Promise<Placement> => {
    const placement = await placements.findById(placementId);
    if (!placement || !maySeePlacement(context.caller, placement)) {
      throw AppError.notFound('placement');
    }
    await audit.record(context, 'read', { type: 'placement', id: placementId });
    return placement;
  };

export interface ListPlacementsRequest extends PlacementListFilters {
  caller: Caller;
  limit: number;
  cursor?: string;
}

/**
 * A page of the newest placements the caller may see, narrowed by the filters (a filter never
 * widens what the caller may see: it is one more condition).
 */
export const makeListPlacements =
  ({ placements }: { placements: PlacementRepository }) =>
  async ({ caller, ...query }: ListPlacementsRequest): Promise<PlacementPage> => {
    const visible = placementFilterFor(caller);
    if (visible.kind === 'none') return { placements: [], nextCursor: null };
    return placements.list({ visible, ...query });
  };
