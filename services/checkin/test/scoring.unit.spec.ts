import type {
  CheckinFlags,
  ParticipantAnswers,
  StabilityAnswers,
  SupervisorAnswers,
} from '@sanad/contracts';
import {
  scoreCoach,
  scoreParticipant,
  scoreSupervisor,
  type ScoringContext,
} from '../src/domain/scoring';

const context: ScoringContext = { contractedHours: 30, accommodationsAgreed: true };

/** A participant for whom all is well: every scale at 5, full hours, no absence. */
function participant(
  overrides: {
    stability?: Partial<StabilityAnswers>;
    professional?: Partial<ParticipantAnswers['professional']>;
    social?: Partial<ParticipantAnswers['social']>;
    satisfaction?: number;
  } = {},
): ParticipantAnswers {
  return {
    stability: {
      stillEmployed: true,
      hoursLastWeek: 30,
      absenceDays: 0,
      lateDays: 0,
      wageChange: 'none',
      ...overrides.stability,
    },
    professional: {
      copesWithTasks: 5,
      supervisorRelation: 5,
      accommodationsInPlace: 'yes',
      ...overrides.professional,
    },
    social: {
      coworkerRelations: 5,
      feelsIncluded: 5,
      transportProblem: false,
      wellbeing: 5,
      ...overrides.social,
    },
    satisfaction: overrides.satisfaction ?? 5,
  };
}

function supervisor(overrides: Partial<SupervisorAnswers> = {}): SupervisorAnswers {
  return {
    attendance: 5,
    punctuality: 5,
    taskPerformance: 5,
    relations: 5,
    accommodationsWorking: 'yes',
    concern: false,
    ...overrides,
  };
}

const NO_FLAGS: CheckinFlags = {
  hoursCut: false,
  absences: false,
  accommodationMissing: false,
  transportProblem: false,
  supervisorConcern: false,
  lowWellbeing: false,
};

describe('check-in scoring', () => {
  describe('boundaries', () => {
    it('scores everything at best as 100 with no flag', () => {
      expect(scoreParticipant(participant(), context)).toEqual({
        scores: {
          stability: 100,
          professionalAdaptation: 100,
          socialAdaptation: 100,
          satisfaction: 100,
        },
        flags: NO_FLAGS,
        hours: { lastWeek: 30, contracted: 30 },
      });
    });

    it('scores everything at worst as 0', () => {
      const worst = participant({
        stability: { hoursLastWeek: 0, absenceDays: 7, lateDays: 7, wageChange: 'down' },
        professional: { copesWithTasks: 1, supervisorRelation: 1, accommodationsInPlace: 'no' },
        social: { coworkerRelations: 1, feelsIncluded: 1, transportProblem: true, wellbeing: 1 },
        satisfaction: 1,
      });
      expect(scoreParticipant(worst, context).scores).toEqual({
        stability: 0,
        professionalAdaptation: 0,
        socialAdaptation: 0,
        satisfaction: 0,
      });
    });

    it('maps a 1..5 scale onto 0, 25, 50, 75, 100', () => {
      expect(
        [1, 2, 3, 4, 5].map(
          (v) => scoreParticipant(participant({ satisfaction: v }), context).scores.satisfaction,
        ),
      ).toEqual([0, 25, 50, 75, 100]);
    });

    it('scores the supervisor at best 100 and at worst 0, with no satisfaction', () => {
      expect(scoreSupervisor(supervisor(), context).scores).toEqual({
        stability: 100,
        professionalAdaptation: 100,
        socialAdaptation: 100,
        satisfaction: null,
      });
      const worst = supervisor({
        attendance: 1,
        punctuality: 1,
        taskPerformance: 1,
        relations: 1,
        accommodationsWorking: 'no',
        hoursLastWeek: 0,
      });
      expect(scoreSupervisor(worst, context).scores).toEqual({
        stability: 0,
        professionalAdaptation: 0,
        socialAdaptation: 0,
        satisfaction: null,
      });
    });
  });

  it('computes the worked example of docs/scoring.md', () => {
    const answers = participant({
      stability: { hoursLastWeek: 20, absenceDays: 1, lateDays: 0, wageChange: 'none' },
      professional: { copesWithTasks: 4, supervisorRelation: 3, accommodationsInPlace: 'partly' },
      social: { coworkerRelations: 4, feelsIncluded: 2, transportProblem: true, wellbeing: 3 },
      satisfaction: 3,
    });
    expect(scoreParticipant(answers, context)).toEqual({
      scores: { stability: 87, professionalAdaptation: 58, socialAdaptation: 38, satisfaction: 50 },
      flags: {
        hoursCut: true,
        absences: false,
        accommodationMissing: true,
        transportProblem: true,
        supervisorConcern: false,
        lowWellbeing: true,
      },
      hours: { lastWeek: 20, contracted: 30 },
    });
  });

  describe('stability items', () => {
    it.each([
      [0, 100],
      [1, 80],
      [2, 60],
      [4, 20],
      [5, 0],
      [7, 0],
    ])('%i absence days make the absence item %i', (days, item) => {
      // stability = mean(hours 100, absences item, lateness 100, wage 100)
      const { stability } = scoreParticipant(
        participant({ stability: { absenceDays: days } }),
        context,
      ).scores;
      expect(stability).toBe(Math.round((300 + item) / 4));
    });

    it('counts late days like absence days', () => {
      const answers = participant({ stability: { lateDays: 3 } });
      expect(scoreParticipant(answers, context).scores.stability).toBe(85); // (100+100+40+100)/4
    });

    it('caps hours at the contract and penalises a wage drop', () => {
      const overtime = participant({ stability: { hoursLastWeek: 45 } });
      expect(scoreParticipant(overtime, context).scores.stability).toBe(100);
      const wageDown = participant({ stability: { wageChange: 'down' } });
      expect(scoreParticipant(wageDown, context).scores.stability).toBe(75);
      const wageUp = participant({ stability: { wageChange: 'up' } });
      expect(scoreParticipant(wageUp, context).scores.stability).toBe(100);
    });

    it('scores a participant who is no longer employed 0 and raises no hours or absence flag', () => {
      const answers = participant({
        stability: { stillEmployed: false, hoursLastWeek: 0, absenceDays: 7 },
      });
      const result = scoreParticipant(answers, context);
      expect(result.scores.stability).toBe(0);
      expect(result.flags.hoursCut).toBe(false);
      expect(result.flags.absences).toBe(false);
      expect(result.hours).toBeNull();
    });

    it('counts the hours item as full and gives no hours when contracted hours are unknown', () => {
      const unknown: ScoringContext = { contractedHours: null, accommodationsAgreed: true };
      const result = scoreParticipant(participant({ stability: { hoursLastWeek: 5 } }), unknown);
      expect(result.scores.stability).toBe(100);
      expect(result.flags.hoursCut).toBe(false);
      expect(result.hours).toBeNull();
    });
  });

  describe('accommodations', () => {
    it.each([
      ['yes', 100],
      ['partly', 83], // (100 + 100 + 50) / 3
      ['no', 67], // (100 + 100 + 0) / 3
      ['none-agreed', 100], // item left out: (100 + 100) / 2
    ] as const)('%s gives professional adaptation %i', (answer, score) => {
      const answers = participant({ professional: { accommodationsInPlace: answer } });
      expect(scoreParticipant(answers, context).scores.professionalAdaptation).toBe(score);
    });

    it('leaves a none-agreed accommodation out of the supervisor score too', () => {
      const answers = supervisor({ taskPerformance: 3, accommodationsWorking: 'none-agreed' });
      expect(scoreSupervisor(answers, context).scores.professionalAdaptation).toBe(50);
    });
  });

  describe('flags', () => {
    const noneAgreed: ScoringContext = { contractedHours: 30, accommodationsAgreed: false };
    const contract = (hours: number): ScoringContext => ({
      contractedHours: hours,
      accommodationsAgreed: true,
    });
    const flagsOf = (answers: ParticipantAnswers, ctx: ScoringContext = context) =>
      scoreParticipant(answers, ctx).flags;

    it.each([
      // contracted, hours last week, cut?
      [30, 22.5, false], // exactly 75 %
      [30, 22, true],
      [20, 20, false],
      [20, 19.5, true], // under the 20-hour floor
      [24, 19.5, true], // 81 % of the contract but under the floor
      [24, 20, false],
      [16, 12, false], // under 20 contracted: only the 75 % rule
      [16, 11.5, true],
      [40, 29.5, true],
      [40, 30, false],
    ])('contract %d h, %d h last week: hoursCut %s', (contracted, lastWeek, cut) => {
      const answers = participant({ stability: { hoursLastWeek: lastWeek } });
      expect(flagsOf(answers, contract(contracted))).toEqual({ ...NO_FLAGS, hoursCut: cut });
    });

    it.each([
      [1, false],
      [2, true],
    ])('%i absence days: absences %s', (days, flagged) => {
      const answers = participant({ stability: { absenceDays: days } });
      expect(flagsOf(answers)).toEqual({ ...NO_FLAGS, absences: flagged });
    });

    it('raises no flag for lateness alone', () => {
      expect(flagsOf(participant({ stability: { lateDays: 7 } }))).toEqual(NO_FLAGS);
    });

    it.each([
      ['yes', true, false],
      ['partly', true, true],
      ['no', true, true],
      ['none-agreed', true, false],
      ['no', false, false],
      ['partly', false, false],
    ] as const)(
      'accommodations %s (agreed: %s): accommodationMissing %s',
      (answer, agreed, missing) => {
        const answers = participant({ professional: { accommodationsInPlace: answer } });
        const ctx = agreed ? context : noneAgreed;
        expect(flagsOf(answers, ctx)).toEqual({ ...NO_FLAGS, accommodationMissing: missing });
      },
    );

    it.each([
      [false, false],
      [true, true],
    ])('transport problem %s: transportProblem %s', (problem, flagged) => {
      const answers = participant({ social: { transportProblem: problem } });
      expect(flagsOf(answers)).toEqual({ ...NO_FLAGS, transportProblem: flagged });
    });

    it.each([
      ['wellbeing', 3, false],
      ['wellbeing', 2, true],
      ['feelsIncluded', 3, false],
      ['feelsIncluded', 2, true],
      ['coworkerRelations', 1, false],
    ] as const)('%s %i: lowWellbeing %s', (item, value, flagged) => {
      const answers = participant({ social: { [item]: value } });
      expect(flagsOf(answers)).toEqual({ ...NO_FLAGS, lowWellbeing: flagged });
    });

    it("does not raise supervisorConcern from the participant's own supervisor relation", () => {
      const answers = participant({ professional: { supervisorRelation: 1 } });
      expect(flagsOf(answers)).toEqual(NO_FLAGS);
    });

    it.each([
      [3, false],
      [2, true],
    ])('a coach-recorded supervisor relation %i: supervisorConcern %s', (relation, flagged) => {
      const { professional } = participant({ professional: { supervisorRelation: relation } });
      expect(scoreCoach({ professional }, context).flags).toEqual({
        ...NO_FLAGS,
        supervisorConcern: flagged,
      });
    });

    describe('supervisor', () => {
      const supervisorFlags = (answers: SupervisorAnswers, ctx: ScoringContext = context) =>
        scoreSupervisor(answers, ctx).flags;

      it.each([
        [false, false],
        [true, true],
      ])('concern %s: supervisorConcern %s', (concern, flagged) => {
        expect(supervisorFlags(supervisor({ concern }))).toEqual({
          ...NO_FLAGS,
          supervisorConcern: flagged,
        });
      });

      it.each([
        [3, false],
        [2, true],
      ])('attendance %i: absences %s', (attendance, flagged) => {
        expect(supervisorFlags(supervisor({ attendance }))).toEqual({
          ...NO_FLAGS,
          absences: flagged,
        });
      });

      it.each([
        ['yes', false],
        ['partly', true],
        ['no', true],
        ['none-agreed', false],
      ] as const)('accommodations working %s: accommodationMissing %s', (answer, missing) => {
        expect(supervisorFlags(supervisor({ accommodationsWorking: answer }))).toEqual({
          ...NO_FLAGS,
          accommodationMissing: missing,
        });
        expect(supervisorFlags(supervisor({ accommodationsWorking: answer }), noneAgreed)).toEqual(
          NO_FLAGS,
        );
      });

      it('uses hours the supervisor gave for the stability score, hours and hoursCut', () => {
        const result = scoreSupervisor(supervisor({ hoursLastWeek: 15 }), context);
        expect(result.scores.stability).toBe(83); // (100 + 100 + 50) / 3
        expect(result.flags).toEqual({ ...NO_FLAGS, hoursCut: true });
        expect(result.hours).toEqual({ lastWeek: 15, contracted: 30 });
      });

      it('gives no hours and no hoursCut when the supervisor gave no hours', () => {
        const result = scoreSupervisor(supervisor(), context);
        expect(result.hours).toBeNull();
        expect(result.flags.hoursCut).toBe(false);
      });

      it('maps attendance and punctuality onto stability, relations onto social adaptation', () => {
        const result = scoreSupervisor(
          supervisor({ attendance: 4, punctuality: 2, relations: 3 }),
          context,
        );
        expect(result.scores.stability).toBe(50); // (75 + 25) / 2
        expect(result.scores.socialAdaptation).toBe(50);
      });
    });
  });

  describe('coach records', () => {
    it('scores missing sections null and raises none of their flags', () => {
      expect(scoreCoach({}, context)).toEqual({
        scores: {
          stability: null,
          professionalAdaptation: null,
          socialAdaptation: null,
          satisfaction: null,
        },
        flags: NO_FLAGS,
        hours: null,
      });
    });

    it('scores only the sections the call covered', () => {
      const { social } = participant({ social: { wellbeing: 1, transportProblem: true } });
      const result = scoreCoach({ social, satisfaction: 4 }, context);
      expect(result.scores).toEqual({
        stability: null,
        professionalAdaptation: null,
        socialAdaptation: 50, // (100 + 100 + 0 + 0) / 4
        satisfaction: 75,
      });
      expect(result.flags).toEqual({ ...NO_FLAGS, transportProblem: true, lowWellbeing: true });
      expect(result.hours).toBeNull();
    });

    it('scores a full coach record like the participant, except supervisorConcern', () => {
      const answers = participant({
        stability: { hoursLastWeek: 10, absenceDays: 3 },
        professional: { supervisorRelation: 2 },
      });
      const byCoach = scoreCoach(answers, context);
      const byParticipant = scoreParticipant(answers, context);
      expect(byCoach.scores).toEqual(byParticipant.scores);
      expect(byCoach.hours).toEqual({ lastWeek: 10, contracted: 30 });
      expect(byCoach.flags).toEqual({ ...byParticipant.flags, supervisorConcern: true });
      expect(byParticipant.flags).toEqual({ ...NO_FLAGS, hoursCut: true, absences: true });
    });
  });
});
