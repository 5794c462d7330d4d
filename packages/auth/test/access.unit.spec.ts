import {
  knownScope,
  matchesFilter,
  mayRecordPlacement,
  maySeePlacement,
  placementFilterFor,
  type Caller,
  type PlacementScope,
} from '../src';

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

describe('a placement whose scope is not known yet', () => {
  it.each<[Caller['role'], boolean]>([
    ['admin', true],
    ['programme-manager', false],
    ['coach', false],
    ['employer-user', false],
  ])('is seen by %s: %s', (role, expected) => {
    const caller = who({
      role,
      programmeIds: [ids.programme],
      employerId: role === 'employer-user' ? ids.employer : null,
    });
    expect(maySeePlacement(caller, null)).toBe(expected);
  });
});

describe('who may record a placement', () => {
  it.each<[string, Caller, boolean]>([
    ['an admin, anywhere', who({ role: 'admin' }), true],
    ['a coach, on their own caseload', who({ userId: ids.coach }), true],
    ['a coach, for another coach', who({ programmeIds: [ids.programme] }), false],
    [
      'a manager, in their programme',
      who({ role: 'programme-manager', programmeIds: [ids.otherProgramme, ids.programme] }),
      true,
    ],
    [
      'a manager, in another programme',
      who({ role: 'programme-manager', programmeIds: [ids.otherProgramme] }),
      false,
    ],
    [
      'an employer user, not even for their own organisation',
      who({ role: 'employer-user', employerId: ids.employer }),
      false,
    ],
  ])('%s: %s', (_who, caller, expected) => {
    expect(mayRecordPlacement(caller, placement)).toBe(expected);
  });
});

describe('the list filter of a caller', () => {
  const scopes: PlacementScope[] = [ids.coach, ids.otherCoach].flatMap((coachId) =>
    [ids.employer, ids.otherEmployer].flatMap((employerId) =>
      [ids.programme, ids.otherProgramme].map((programmeId) => ({
        coachId,
        employerId,
        programmeId,
      })),
    ),
  );
  const callers: Caller[] = [
    who({ role: 'admin' }),
    who({ userId: ids.coach }),
    who({ userId: ids.otherCoach, programmeIds: [ids.programme] }),
    who({ role: 'programme-manager', programmeIds: [ids.programme] }),
    who({ role: 'programme-manager', programmeIds: [ids.programme, ids.otherProgramme] }),
    who({ role: 'programme-manager', programmeIds: [] }),
    who({ role: 'employer-user', employerId: ids.employer }),
    who({ role: 'employer-user', employerId: null }),
  ];

  it.each(callers.map((c) => [`${c.role} ${JSON.stringify(c)}`, c] as const))(
    'selects exactly what maySeePlacement allows: %s',
    (_name, caller) => {
      const filter = placementFilterFor(caller);
      for (const scope of scopes) {
        expect([scope, matchesFilter(filter, scope)]).toEqual([
          scope,
          maySeePlacement(caller, scope),
        ]);
      }
    },
  );

  it('is a condition on one field, or all, or none', () => {
    expect(placementFilterFor(who({ role: 'admin' }))).toEqual({ kind: 'all' });
    expect(placementFilterFor(who({ userId: ids.coach, programmeIds: [ids.programme] }))).toEqual({
      kind: 'match',
      field: 'coachId',
      anyOf: [ids.coach],
    });
    expect(
      placementFilterFor(who({ role: 'programme-manager', programmeIds: [ids.programme] })),
    ).toEqual({ kind: 'match', field: 'programmeId', anyOf: [ids.programme] });
    expect(placementFilterFor(who({ role: 'employer-user', employerId: ids.employer }))).toEqual({
      kind: 'match',
      field: 'employerId',
      anyOf: [ids.employer],
    });
    expect(placementFilterFor(who({ role: 'programme-manager', programmeIds: [] }))).toEqual({
      kind: 'none',
    });
    expect(placementFilterFor(who({ role: 'employer-user', employerId: null }))).toEqual({
      kind: 'none',
    });
  });
});

describe('the known scope of a read model', () => {
  it('is complete or null', () => {
    expect(knownScope(placement)).toEqual(placement);
    expect(knownScope({ ...placement, extra: 'x' } as PlacementScope)).toEqual(placement);
    expect(knownScope({ coachId: ids.coach, programmeId: ids.programme })).toBeNull();
    expect(knownScope({ ...placement, employerId: null })).toBeNull();
    expect(knownScope(undefined)).toBeNull();
    expect(knownScope(null)).toBeNull();
  });
});
