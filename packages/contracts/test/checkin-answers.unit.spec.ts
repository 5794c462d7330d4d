import type { z } from 'zod';
import {
  ACCOMMODATION_IN_PLACE,
  CoachAnswers,
  ContactType,
  HOURS_LAST_WEEK_MAX,
  ParticipantAnswers,
  SCALE_MAX,
  SCALE_MIN,
  SupervisorAnswers,
  WAGE_CHANGES,
} from '../src';

const participant = () => ({
  stability: {
    stillEmployed: true,
    hoursLastWeek: 30,
    absenceDays: 0,
    lateDays: 1,
    wageChange: 'none',
  },
  professional: { copesWithTasks: 4, supervisorRelation: 5, accommodationsInPlace: 'yes' },
  social: { coworkerRelations: 4, feelsIncluded: 3, transportProblem: false, wellbeing: 4 },
  satisfaction: 4,
});

const supervisor = () => ({
  attendance: 5,
  punctuality: 4,
  taskPerformance: 4,
  relations: 5,
  accommodationsWorking: 'partly',
  concern: false,
});

/** The dotted paths of every problem, as the HTTP error body names them. */
function problemPaths(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
}

function withPath(value: Record<string, unknown>, path: string, leaf: unknown) {
  const copy = structuredClone(value);
  const keys = path.split('.');
  const last = keys.pop() ?? path;
  let node = copy;
  for (const key of keys) node = node[key] as Record<string, unknown>;
  node[last] = leaf;
  return copy;
}

describe('check-in answers', () => {
  it('accepts complete participant and supervisor answers', () => {
    expect(ParticipantAnswers.parse(participant())).toEqual(participant());
    expect(SupervisorAnswers.parse(supervisor())).toEqual(supervisor());
    expect(SupervisorAnswers.parse({ ...supervisor(), hoursLastWeek: 37.5 }).hoursLastWeek).toBe(
      37.5,
    );
  });

  it('exports the constants the web forms are built from', () => {
    expect([SCALE_MIN, SCALE_MAX, HOURS_LAST_WEEK_MAX]).toEqual([1, 5, 80]);
    expect(ACCOMMODATION_IN_PLACE).toEqual(['yes', 'partly', 'no', 'none-agreed']);
    expect(WAGE_CHANGES).toEqual(['none', 'up', 'down']);
    expect(ContactType.options).toEqual(['visit', 'phone', 'message']);
  });

  it.each([
    ['social.wellbeing', 0],
    ['social.wellbeing', 6],
    ['social.feelsIncluded', 2.5],
    ['professional.copesWithTasks', '4'],
    ['professional.accommodationsInPlace', 'maybe'],
    ['stability.hoursLastWeek', -1],
    ['stability.hoursLastWeek', 80.5],
    ['stability.absenceDays', 8],
    ['stability.lateDays', 1.5],
    ['stability.wageChange', 'sideways'],
    ['stability.stillEmployed', 'yes'],
    ['satisfaction', 0],
  ])('refuses %s = %j, naming the path', (path, bad) => {
    expect(problemPaths(ParticipantAnswers, withPath(participant(), path, bad))).toEqual([path]);
  });

  it.each([
    ['attendance', 6],
    ['accommodationsWorking', 'sometimes'],
    ['concern', 'no'],
    ['hoursLastWeek', 81],
  ])('refuses supervisor %s = %j, naming the path', (path, bad) => {
    expect(problemPaths(SupervisorAnswers, { ...supervisor(), [path]: bad })).toEqual([path]);
  });

  it('names every missing section of a participant', () => {
    expect(problemPaths(ParticipantAnswers, {}).sort()).toEqual(
      ['professional', 'satisfaction', 'social', 'stability'].sort(),
    );
  });

  it.each([
    ['at the top', (a: Record<string, unknown>) => ({ ...a, notes: 'free text' })],
    ['in a section', (a: Record<string, unknown>) => withPath(a, 'social.diagnosis', 'x')],
  ])('refuses an unknown key %s', (_, addKey) => {
    const result = ParticipantAnswers.safeParse(addKey(participant()));
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys' });
  });

  it('refuses unknown keys in supervisor and coach answers', () => {
    expect(SupervisorAnswers.safeParse({ ...supervisor(), name: 'Salim' }).success).toBe(false);
    expect(CoachAnswers.safeParse({ notes: 'free text' }).success).toBe(false);
  });

  it.each([
    [0, true],
    [0.5, true],
    [37.5, true],
    [80, true],
    [37.25, false],
    [20.1, false],
  ])('takes hours in half-hour steps: %d accepted %s', (hours, ok) => {
    const answers = withPath(participant(), 'stability.hoursLastWeek', hours);
    const result = ParticipantAnswers.safeParse(answers);
    expect(result.success).toBe(ok);
    if (!ok) {
      expect(result.error?.issues[0]).toMatchObject({
        path: ['stability', 'hoursLastWeek'],
        message: expect.stringMatching(/steps of 0\.5/),
      });
    }
  });

  it('lets a coach answer only some sections, each one whole', () => {
    const { social } = participant();
    expect(CoachAnswers.parse({})).toEqual({});
    expect(CoachAnswers.parse({ social, satisfaction: 3 })).toEqual({ social, satisfaction: 3 });
    expect(problemPaths(CoachAnswers, { social: { ...social, wellbeing: undefined } })).toEqual([
      'social.wellbeing',
    ]);
  });
});
