import { maySeePlacement, type Caller, type PlacementScope } from '../src';

const ids = {
  coach: '0a1c0d7e-1111-4a4a-8b8b-000000000001',
  otherCoach: '0a1c0d7e-1111-4a4a-8b8b-000000000002',
  employer: '0a1c0d7e-1111-4a4a-8b8b-000000000003',
  otherEmployer: '0a1c0d7e-1111-4a4a-8b8b-000000000004',
  programme: '0a1c0d7e-1111-4a4a-8b8b-000000000005',
  otherProgramme: '0a1c0d7e-1111-4a4a-8b8b-000000000006',
};
const placement: PlacementScope = {
  coachId: ids.coach,
  employerId: ids.employer,
  programmeId: ids.programme,
};
const who = (over: Partial<Caller>): Caller => ({
  userId: ids.otherCoach,
  role: 'coach',
  programmeIds: [],
  employerId: null,
  ...over,
});

describe('who may see a placement', () => {
  it.each<[string, Caller, boolean]>([
    ['an admin', who({ role: 'admin' }), true],
    ['its own coach', who({ userId: ids.coach }), true],
    ['another coach, even in the same programme', who({ programmeIds: [ids.programme] }), false],
    [
      'a manager of its programme',
      who({ role: 'programme-manager', programmeIds: [ids.programme] }),
      true,
    ],
    [
      'a manager of another programme',
      who({ role: 'programme-manager', programmeIds: [ids.otherProgramme] }),
      false,
    ],
    ['a user of its employer', who({ role: 'employer-user', employerId: ids.employer }), true],
    [
      'a user of another employer',
      who({ role: 'employer-user', employerId: ids.otherEmployer }),
      false,
    ],
    [
      'an employer user with no organisation',
      who({ role: 'employer-user', employerId: null }),
      false,
    ],
  ])('%s: %s', (_who, caller, expected) => {
    expect(maySeePlacement(caller, placement)).toBe(expected);
  });
});
