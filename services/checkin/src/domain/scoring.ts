import type {
  AccommodationsInPlace,
  CheckinFlags,
  CoachAnswers,
  ParticipantAnswers,
  ProfessionalAnswers,
  SocialAnswers,
  StabilityAnswers,
  SupervisorAnswers,
  WageChange,
} from '@sanad/contracts';

/**
 * Turns check-in answers into four dimension scores (0..100, higher is better) and the warning
 * flags that alert rules act on. Pure: the same answers and context always give the same result.
 * Short version with a worked example: services/checkin/docs/scoring.md.
 *
 * Every answer becomes an item on 0..100; a dimension is the rounded mean of its items, or null
 * when its section was not answered.
 *
 * | item                          | value on 0..100                                                   |
 * |-------------------------------|-------------------------------------------------------------------|
 * | scale 1..5                    | (v - 1) * 25: 1 -> 0, 3 -> 50, 5 -> 100                           |
 * | hours last week               | min(1, lastWeek / contracted) * 100; 100 when contracted unknown  |
 * | absence days, late days       | max(0, 100 - 20 * days): 0 -> 100, 5 or more -> 0                 |
 * | wage change                   | none or up -> 100, down -> 0                                      |
 * | accommodations in place       | yes -> 100, partly -> 50, no -> 0, none-agreed -> item left out   |
 * | transport problem             | no -> 100, yes -> 0                                               |
 *
 * | dimension (participant, coach) | items                                                            |
 * |--------------------------------|------------------------------------------------------------------|
 * | stability                      | not employed -> 0; else hours, absences, lateness, wage          |
 * | professionalAdaptation         | copesWithTasks, supervisorRelation, accommodationsInPlace        |
 * | socialAdaptation               | coworkerRelations, feelsIncluded, transportProblem, wellbeing    |
 * | satisfaction                   | satisfaction                                                     |
 *
 * | dimension (supervisor)  | items                                                                   |
 * |-------------------------|-------------------------------------------------------------------------|
 * | stability               | attendance, punctuality, and hours when the supervisor gave them        |
 * | professionalAdaptation  | taskPerformance, accommodationsWorking                                  |
 * | socialAdaptation        | relations                                                               |
 * | satisfaction            | null: only the participant can say how satisfied they are               |
 *
 * | flag                 | raised when                                                                 |
 * |----------------------|-----------------------------------------------------------------------------|
 * | hoursCut             | employed, contracted known, and lastWeek < 0.75 * contracted, or lastWeek   |
 * |                      | < 20 while contracted >= 20 (a cut below part-time threshold)               |
 * | absences             | employed and absenceDays >= 2; supervisor attendance <= 2                   |
 * | accommodationMissing | accommodations were agreed and the answer is 'no' or 'partly'               |
 * | transportProblem     | the participant (or the coach) reports a transport problem                  |
 * | supervisorConcern    | the supervisor's own `concern`; a coach-recorded supervisorRelation <= 2    |
 * | lowWellbeing         | wellbeing <= 2 or feelsIncluded <= 2                                        |
 *
 * Choices worth knowing:
 * - 'partly' raises accommodationMissing: an accommodation that half works is still a barrier.
 * - A participant's own low supervisorRelation lowers the professional score but does not raise
 *   supervisorConcern: that flag means "the supervisor is worried", which only the supervisor, or
 *   a coach who has spoken with both, can say.
 * - Not employed: stability is 0, and hoursCut, absences and hours stay off (the job has ended;
 *   the placement's end is its own signal, and zero hours would skew hour trends).
 * - `hours` is given only when the hours worked and the contracted hours are both known.
 */

/** What the placement says about the job, needed to read the answers. */
export interface ScoringContext {
  /** Hours a week in the contract; null when the employer has not confirmed them. */
  contractedHours: number | null;
  /** Whether accommodations were agreed at confirmation. */
  accommodationsAgreed: boolean;
}

export interface DimensionScores {
  stability: number | null;
  professionalAdaptation: number | null;
  socialAdaptation: number | null;
  satisfaction: number | null;
}

export interface HoursWorked {
  lastWeek: number;
  contracted: number;
}

export interface CheckinScoring {
  scores: DimensionScores;
  flags: CheckinFlags;
  hours: HoursWorked | null;
}

/** Share of the contracted hours below which hours count as cut. */
export const HOURS_CUT_RATIO = 0.75;
/** Hours a week below which a job at or above this level counts as cut, whatever the ratio. */
export const HOURS_CUT_FLOOR = 20;
/** Days absent in two weeks from which absences are flagged. */
export const ABSENCE_DAYS_FLAG = 2;
/** A scale answer at or below this is a warning (1 or 2 of 5). */
export const LOW_SCALE = 2;
/** Points an absence or late day costs: 5 days take the item to 0. */
const POINTS_PER_DAY = 20;

const NO_FLAGS: CheckinFlags = {
  hoursCut: false,
  absences: false,
  accommodationMissing: false,
  transportProblem: false,
  supervisorConcern: false,
  lowWellbeing: false,
};

/** The self check-in: every section answered. */
export function scoreParticipant(
  answers: ParticipantAnswers,
  context: ScoringContext,
): CheckinScoring {
  return scoreSections(answers, context, false);
}

/** A coach's record: sections not covered by the call score null and raise no flag. */
export function scoreCoach(answers: CoachAnswers, context: ScoringContext): CheckinScoring {
  return scoreSections(answers, context, true);
}

export function scoreSupervisor(
  answers: SupervisorAnswers,
  context: ScoringContext,
): CheckinScoring {
  const contracted = knownContracted(context);
  const lastWeek = answers.hoursLastWeek ?? null;
  const stabilityItems = [scaleItem(answers.attendance), scaleItem(answers.punctuality)];
  if (lastWeek !== null) stabilityItems.push(hoursItem(lastWeek, contracted));
  return {
    scores: {
      stability: mean(stabilityItems),
      professionalAdaptation: mean([
        scaleItem(answers.taskPerformance),
        accommodationItem(answers.accommodationsWorking),
      ]),
      socialAdaptation: mean([scaleItem(answers.relations)]),
      satisfaction: null,
    },
    flags: {
      ...NO_FLAGS,
      hoursCut: lastWeek !== null && isHoursCut(lastWeek, contracted),
      absences: answers.attendance <= LOW_SCALE,
      accommodationMissing: isAccommodationMissing(answers.accommodationsWorking, context),
      supervisorConcern: answers.concern,
    },
    hours: hoursWorked(lastWeek, contracted),
  };
}

function scoreSections(
  answers: CoachAnswers,
  context: ScoringContext,
  byCoach: boolean,
): CheckinScoring {
  const contracted = knownContracted(context);
  const { stability, professional, social, satisfaction } = answers;
  const employed = stability?.stillEmployed === true;
  const lastWeek = employed ? stability.hoursLastWeek : null;
  return {
    scores: {
      stability: stability ? stabilityScore(stability, contracted) : null,
      professionalAdaptation: professional ? professionalScore(professional) : null,
      socialAdaptation: social ? socialScore(social) : null,
      satisfaction: satisfaction === undefined ? null : scaleItem(satisfaction),
    },
    flags: {
      hoursCut: lastWeek !== null && isHoursCut(lastWeek, contracted),
      absences: employed && stability.absenceDays >= ABSENCE_DAYS_FLAG,
      accommodationMissing:
        professional !== undefined &&
        isAccommodationMissing(professional.accommodationsInPlace, context),
      transportProblem: social?.transportProblem === true,
      supervisorConcern:
        byCoach && professional !== undefined && professional.supervisorRelation <= LOW_SCALE,
      lowWellbeing:
        social !== undefined &&
        (social.wellbeing <= LOW_SCALE || social.feelsIncluded <= LOW_SCALE),
    },
    hours: hoursWorked(lastWeek, contracted),
  };
}

function stabilityScore(answers: StabilityAnswers, contracted: number | null): number {
  if (!answers.stillEmployed) return 0;
  return mean([
    hoursItem(answers.hoursLastWeek, contracted),
    daysItem(answers.absenceDays),
    daysItem(answers.lateDays),
    wageItem(answers.wageChange),
  ]);
}

function professionalScore(answers: ProfessionalAnswers): number {
  return mean([
    scaleItem(answers.copesWithTasks),
    scaleItem(answers.supervisorRelation),
    accommodationItem(answers.accommodationsInPlace),
  ]);
}

function socialScore(answers: SocialAnswers): number {
  return mean([
    scaleItem(answers.coworkerRelations),
    scaleItem(answers.feelsIncluded),
    answers.transportProblem ? 0 : 100,
    scaleItem(answers.wellbeing),
  ]);
}

/** 1..5 onto 0..100. */
function scaleItem(value: number): number {
  return (value - 1) * 25;
}

/** Worked hours as a share of the contract, capped at 100 (overtime is not "more stable"). */
function hoursItem(lastWeek: number, contracted: number | null): number {
  return contracted === null ? 100 : Math.min(1, lastWeek / contracted) * 100;
}

function daysItem(days: number): number {
  return Math.max(0, 100 - POINTS_PER_DAY * days);
}

function wageItem(change: WageChange): number {
  return change === 'down' ? 0 : 100;
}

/** null: the answer says no accommodations were agreed, so there is nothing to rate. */
function accommodationItem(answer: AccommodationsInPlace): number | null {
  switch (answer) {
    case 'yes':
      return 100;
    case 'partly':
      return 50;
    case 'no':
      return 0;
    case 'none-agreed':
      return null;
  }
}

function isAccommodationMissing(answer: AccommodationsInPlace, context: ScoringContext): boolean {
  return context.accommodationsAgreed && (answer === 'no' || answer === 'partly');
}

function isHoursCut(lastWeek: number, contracted: number | null): boolean {
  if (contracted === null) return false;
  return (
    lastWeek < HOURS_CUT_RATIO * contracted ||
    (contracted >= HOURS_CUT_FLOOR && lastWeek < HOURS_CUT_FLOOR)
  );
}

function hoursWorked(lastWeek: number | null, contracted: number | null): HoursWorked | null {
  return lastWeek === null || contracted === null ? null : { lastWeek, contracted };
}

/** Contracted hours usable as a divisor; anything else counts as not known. */
function knownContracted(context: ScoringContext): number | null {
  const hours = context.contractedHours;
  return hours !== null && Number.isFinite(hours) && hours > 0 ? hours : null;
}

/** Rounded mean of the items given (left-out items are null); every dimension has at least one. */
function mean(items: (number | null)[]): number {
  const given = items.filter((item): item is number => item !== null);
  return Math.round(given.reduce((sum, item) => sum + item, 0) / given.length);
}
