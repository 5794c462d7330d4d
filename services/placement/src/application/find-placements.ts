import { maySeePlacement, placementFilterFor, type Caller } from '@sanad/auth';
import { AppError } from '@sanad/errors';
import type { Placement, PlacementStatus } from '../domain/placement';
import type { AccessContext, AuditTrail, PlacementRepository } from './ports';

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

export interface ListPlacementsRequest {
  caller: Caller;
  status?: PlacementStatus;
  programmeId?: string;
  participantId?: string;
  limit: number;
}

/** The newest placements the caller may see, optionally of one status, programme or participant. */
export const makeListPlacements =
  ({ placements }: { placements: PlacementRepository }) =>
  async ({ caller, ...query }: ListPlacementsRequest): Promise<Placement[]> => {
    const visible = placementFilterFor(caller);
    if (visible.kind === 'none') return [];
    return placements.list({ visible, ...query });
  };
