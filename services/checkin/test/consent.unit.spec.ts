import type { ConsentFlags, Respondent } from '@sanad/contracts';
import { decideDue } from '../src/domain/consent';
import { emptyPlan } from '../src/domain/follow-up-plan';

const consents = (followUp: boolean, employerContact: boolean): ConsentFlags => ({
  followUp,
  employerContact,
  reportingByCategory: false,
});

describe('who is asked when a check-in falls due', () => {
  it.each<[Respondent, ConsentFlags | null, 'due' | 'skipped']>([
    ['participant', consents(true, false), 'due'],
    ['participant', consents(false, true), 'skipped'],
    ['supervisor', consents(false, true), 'due'],
    ['supervisor', consents(true, false), 'skipped'],
    ['coach', consents(false, false), 'due'],
    ['participant', null, 'due'],
    ['supervisor', null, 'due'],
  ])('%s with consents %j: %s', (respondent, given, expected) => {
    const decision = decideDue(respondent, given);
    expect(decision.status).toBe(expected);
    if (decision.status === 'skipped') expect(decision.reason).toBe('no-consent');
  });
});

describe('a plan keeps the consents the placement events told', () => {
  const placementId = '6f1c0d7e-1111-4a4a-8b8b-123456789abc';
  it('or none while they are not known', () => {
    // The plan learns them from placement.recorded or a consent change (see checkin-lifecycle spec).
    expect(emptyPlan(placementId).consents).toBeNull();
    expect(emptyPlan(placementId).consentsChangedAt).toBeNull();
  });
});
