import type { Caller } from '@sanad/auth';
import type { ApiClient } from './api-client';

/** A believable employer for POST /employers: an HR contact who confirms, a supervisor. */
export const testEmployerBody = (overrides: Record<string, unknown> = {}) => ({
  name: 'Muscat Public Archives',
  sector: 'public-administration',
  region: 'muscat',
  contacts: [
    {
      role: 'hr',
      fullName: 'Huda Al-Balushi',
      email: 'hr@archives.employer.test',
      preferredLanguage: 'en',
    },
    {
      role: 'supervisor',
      fullName: 'Salim Al-Harthi',
      email: 'salim@archives.employer.test',
      preferredLanguage: 'ar',
    },
  ],
  ...overrides,
});

export interface TestEmployer {
  id: string;
  contacts: { id: string; role: 'hr' | 'supervisor'; fullName: string; email: string | null }[];
}

/** Creates an employer through the placement service's API (placements need a known employer). */
export async function createTestEmployer(
  api: ApiClient,
  caller: Caller,
  overrides: Record<string, unknown> = {},
): Promise<TestEmployer> {
  const res = await api.post('/employers', caller, testEmployerBody(overrides));
  if (res.status !== 201) {
    throw new Error(`POST /employers answered ${res.status}: ${JSON.stringify(res.body)}`);
  }
  return res.body.employer as TestEmployer;
}
