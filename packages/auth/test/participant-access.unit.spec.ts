import {
  matchesFilter,
  mayActForDataSubject,
  mayAssignCaseload,
  mayRegisterParticipant,
  maySeeParticipant,
  participantFilterFor,
  type Caller,
  type ParticipantScope,
} from '../src';

const ids = {
  coach: '0a1c0d7e-1111-4a4a-8b8b-000000000001',
  otherCoach: '0a1c0d7e-1111-4a4a-8b8b-000000000002',
  employer: '0a1c0d7e-1111-4a4a-8b8b-000000000003',
  programme: '0a1c0d7e-1111-4a4a-8b8b-000000000005',
  otherProgramme: '0a1c0d7e-1111-4a4a-8b8b-000000000006',
};
const participant: ParticipantScope = { coachId: ids.coach, programmeId: ids.programme };
const who = (over: Partial<Caller>): Caller => ({
  userId: ids.otherCoach,
  role: 'coach',
  programmeIds: [],
  employerId: null,
  ...over,
});

/** [who, caller, may see, may register, may act for the data subject, may set their caseload] */
const cases: [string, Caller, boolean, boolean, boolean, boolean][] = [
  ['an admin', who({ role: 'admin' }), true, true, true, true],
  ['their own coach', who({ userId: ids.coach }), true, true, false, false],
  [
    'another coach of the same programme',
    who({ programmeIds: [ids.programme] }),
    false,
    false,
    false,
    false,
  ],
  [
    'a manager of their programme',
    who({ role: 'programme-manager', programmeIds: [ids.otherProgramme, ids.programme] }),
    true,
    true,
    true,
    true,
  ],
  [
    'a manager of another programme',
    who({ role: 'programme-manager', programmeIds: [ids.otherProgramme] }),
    false,
    false,
    false,
    false,
  ],
  ['a manager of no programme', who({ role: 'programme-manager' }), false, false, false, false],
  [
    'an employer user, even of their employer',
    who({ role: 'employer-user', employerId: ids.employer }),
    false,
    false,
    false,
    false,
  ],
];

describe('who may see, register, act for a participant and set their caseload', () => {
  it.each(cases)('%s', (_who, caller, see, register, act, assign) => {
    expect({
      see: maySeeParticipant(caller, participant),
      register: mayRegisterParticipant(caller, participant),
      act: mayActForDataSubject(caller, participant),
      assign: mayAssignCaseload(caller, participant),
    }).toEqual({ see, register, act, assign });
  });

  it('never lets anyone act for the data subject or move them who may not see them', () => {
    for (const [, caller] of cases) {
      if (mayActForDataSubject(caller, participant) || mayAssignCaseload(caller, participant)) {
        expect(maySeeParticipant(caller, participant)).toBe(true);
      }
    }
  });
});

describe('the participant list filter of a caller', () => {
  const scopes: ParticipantScope[] = [ids.coach, ids.otherCoach].flatMap((coachId) =>
    [ids.programme, ids.otherProgramme].map((programmeId) => ({ coachId, programmeId })),
  );

  it.each(cases)('selects exactly what maySeeParticipant allows: %s', (_who, caller) => {
    const filter = participantFilterFor(caller);
    for (const scope of scopes) {
      expect([scope, matchesFilter(filter, scope)]).toEqual([
        scope,
        maySeeParticipant(caller, scope),
      ]);
    }
  });

  it('gives employer users and managers of no programme nothing', () => {
    expect(participantFilterFor(who({ role: 'employer-user', employerId: ids.employer }))).toEqual({
      kind: 'none',
    });
    expect(participantFilterFor(who({ role: 'programme-manager' }))).toEqual({ kind: 'none' });
    expect(participantFilterFor(who({ userId: ids.coach }))).toEqual({
      kind: 'match',
      field: 'coachId',
      anyOf: [ids.coach],
    });
  });
});
