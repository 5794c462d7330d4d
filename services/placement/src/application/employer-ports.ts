import type { Employer, Region, Sector } from '../domain/employer';

/** Which employers a caller may see: every one (staff), or only these (an employer user's own). */
export type EmployerVisibility = { kind: 'all' } | { kind: 'only'; employerIds: readonly string[] };

export interface EmployerListQuery {
  visible: EmployerVisibility;
  sector?: Sector;
  region?: Region;
  /** Part of the name, any case. */
  q?: string;
  limit: number;
}

/** What a list shows of an employer: no contacts. */
export type EmployerSummary = Pick<Employer, 'id' | 'name' | 'sector' | 'region'>;

/**
 * Employers and their contacts. The placement use cases read an employer through `findById` (to
 * check the employer of a new placement, and to find whom to mail).
 */
export interface EmployerRepository {
  /** Stores a new employer; 'exists' if the id is taken. */
  insert(employer: Employer): Promise<'inserted' | 'exists'>;
  findById(id: string): Promise<Employer | null>;
  /** Sorted by name (any case), then id; at most `limit`. */
  list(query: EmployerListQuery): Promise<EmployerSummary[]>;
  /**
   * Stores `employer` (its new version) if the stored one is still at `expectedVersion`. Resolves
   * with it; null if there is no such employer; throws STALE_VERSION if another change came first.
   */
  update(employer: Employer, expectedVersion: number): Promise<Employer | null>;
}
