import { randomUUID } from 'node:crypto';
import { AppError } from '@sanad/errors';
import { recordPlacement, type Placement } from '../src/domain/placement';
import {
  changePlacement,
  changesBetween,
  confirmPlacement,
  DEFAULT_START_DATE_WINDOW,
  endPlacement,
  startDateProblem,
} from '../src/domain/placement-lifecycle';

const now = new Date('2026-11-23T10:00:00.000Z');
const context = { producer: 'placement', correlationId: 'test', causationId: null };
const terms = {
  jobTitle: 'Archive clerk',
  startDate: '2026-11-01',
  hoursPerWeek: 30,
  wage: { amount: 320, currency: 'OMR', period: 'month' as const },
};

const recorded = (): Placement =>
  recordPlacement(
    {
      participantId: randomUUID(),
      employerId: randomUUID(),
      programmeId: randomUUID(),
      coachId: randomUUID(),
      terms,
    },
    randomUUID(),
    new Date('2026-11-02T08:00:00.000Z'),
    context,
  ).placement;

const confirmed = (): Placement =>
  confirmPlacement(
    recorded(),
    {
      expectedVersion: 1,
      terms,
      accommodations: ['screen-reader'],
      supervisorId: null,
      by: 'employer-link',
    },
    now,
    context,
    DEFAULT_START_DATE_WINDOW,
  ).placement;

/** The refusal a decision throws: its code and the paths of its problems. */
function refusal(decide: () => unknown): { code: string; paths: string[] } {
  try {
    decide();
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const problems = (error.details.problems ?? []) as { path: string }[];
    return { code: error.code, paths: problems.map((p) => p.path) };
  }
  throw new Error('expected a refusal');
}

describe('the start-date window', () => {
  it.each([
    ['today', '2026-11-23', true],
    ['the first day of the window, 365 days back', '2025-11-23', true],
    ['a day before the window', '2025-11-22', false],
    ['the last day of the window, 180 days ahead', '2027-05-22', true],
    ['a day after it', '2027-05-23', false],
    ['a typo of a year', '2062-11-01', false],
  ])('%s (%s): %s', (_what, day, inside) => {
    const problem = startDateProblem(day, now, DEFAULT_START_DATE_WINDOW);
    expect(problem === null).toBe(inside);
    if (problem) {
      expect(problem).toMatchObject({
        path: 'startDate',
        code: 'start-date-window',
        params: { from: '2025-11-23', to: '2027-05-22' },
      });
    }
  });
});

describe('confirming a placement', () => {
  it('confirms the corrected terms, raises the version and announces it', () => {
    const placement = recorded();
    const corrected = { ...terms, hoursPerWeek: 25 };
    const { placement: next, events } = confirmPlacement(
      placement,
      {
        expectedVersion: 1,
        terms: corrected,
        accommodations: ['screen-reader', 'flexible-schedule', 'screen-reader'],
        supervisorId: null,
        by: 'employer-link',
      },
      now,
      context,
      DEFAULT_START_DATE_WINDOW,
    );
    expect(next).toMatchObject({
      status: 'confirmed',
      version: 2,
      terms: corrected,
      accommodations: ['flexible-schedule', 'screen-reader'],
      confirmedAt: now.toISOString(),
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'placement.confirmed',
      key: placement.id,
      data: {
        placementId: placement.id,
        terms: corrected,
        accommodations: ['flexible-schedule', 'screen-reader'],
        confirmedBy: 'employer-link',
      },
    });
  });

  it('refuses a stale version, a second confirmation and an ended placement', () => {
    const command = {
      expectedVersion: 1,
      terms,
      accommodations: [],
      supervisorId: null,
      by: 'coach' as const,
    };
    const w = DEFAULT_START_DATE_WINDOW;
    expect(
      refusal(() =>
        confirmPlacement(recorded(), { ...command, expectedVersion: 3 }, now, context, w),
      ).code,
    ).toBe('STALE_VERSION');
    expect(
      refusal(() =>
        confirmPlacement(confirmed(), { ...command, expectedVersion: 2 }, now, context, w),
      ).code,
    ).toBe('CONFLICT');
    const ended = { ...recorded(), status: 'ended' as const };
    expect(refusal(() => confirmPlacement(ended, command, now, context, w)).code).toBe('CONFLICT');
  });

  it('checks a corrected start date against the window, naming terms.startDate', () => {
    const outcome = refusal(() =>
      confirmPlacement(
        recorded(),
        {
          expectedVersion: 1,
          terms: { ...terms, startDate: '2030-01-01' },
          accommodations: [],
          supervisorId: null,
          by: 'coach',
        },
        now,
        context,
        DEFAULT_START_DATE_WINDOW,
      ),
    );
    expect(outcome).toEqual({ code: 'VALIDATION_FAILED', paths: ['terms.startDate'] });
  });
});

describe('changing a placement', () => {
  it('records each changed field before and after, and only those', () => {
    const placement = confirmed();
    const { placement: next, events } = changePlacement(
      placement,
      {
        expectedVersion: 2,
        effectiveDate: '2026-12-01',
        hoursPerWeek: 20,
        jobTitle: terms.jobTitle, // the same: not a change
        wage: { amount: 300, currency: 'OMR', period: 'month' },
        accommodations: ['screen-reader', 'adjusted-tasks'],
      },
      now,
      context,
    );
    expect(next).toMatchObject({
      version: 3,
      status: 'confirmed',
      terms: {
        ...terms,
        hoursPerWeek: 20,
        wage: { amount: 300, currency: 'OMR', period: 'month' },
      },
      accommodations: ['adjusted-tasks', 'screen-reader'],
    });
    expect(events[0]).toMatchObject({
      type: 'placement.changed',
      data: {
        placementId: placement.id,
        effectiveDate: '2026-12-01',
        changes: [
          { field: 'hoursPerWeek', before: 30, after: 20 },
          {
            field: 'wage',
            before: terms.wage,
            after: { amount: 300, currency: 'OMR', period: 'month' },
          },
          {
            field: 'accommodations',
            before: ['screen-reader'],
            after: ['adjusted-tasks', 'screen-reader'],
          },
        ],
      },
    });
  });

  it('sees no change in the same values, or the same codes in another order', () => {
    const placement = confirmed();
    expect(
      changesBetween(placement, {
        expectedVersion: 2,
        effectiveDate: '2026-12-01',
        hoursPerWeek: 30,
        wage: { ...terms.wage },
        supervisorId: null,
        accommodations: ['screen-reader', 'screen-reader'],
      }),
    ).toEqual([]);
  });

  it('refuses nothing-changed, an effective date before the start, a stale version and an ended placement', () => {
    const placement = confirmed();
    const base = { expectedVersion: 2, effectiveDate: '2026-12-01' };
    expect(
      refusal(() => changePlacement(placement, { ...base, hoursPerWeek: 30 }, now, context)),
    ).toEqual({
      code: 'VALIDATION_FAILED',
      paths: ['changes'],
    });
    expect(
      refusal(() =>
        changePlacement(
          placement,
          { ...base, effectiveDate: '2026-10-31', hoursPerWeek: 20 },
          now,
          context,
        ),
      ),
    ).toEqual({ code: 'VALIDATION_FAILED', paths: ['effectiveDate'] });
    expect(
      refusal(() =>
        changePlacement(placement, { ...base, expectedVersion: 1, hoursPerWeek: 20 }, now, context),
      ).code,
    ).toBe('STALE_VERSION');
    const ended = { ...placement, status: 'ended' as const };
    expect(
      refusal(() => changePlacement(ended, { ...base, hoursPerWeek: 20 }, now, context)).code,
    ).toBe('CONFLICT');
  });
});

describe('ending a placement', () => {
  const ending = {
    endDate: '2026-11-20',
    reason: 'resigned' as const,
    initiatedBy: 'participant' as const,
  };

  it('ends it with the date, reason and who initiated it', () => {
    const placement = confirmed();
    const { placement: next, events } = endPlacement(
      placement,
      { expectedVersion: 2, ...ending },
      now,
      context,
      DEFAULT_START_DATE_WINDOW,
    );
    expect(next).toMatchObject({ status: 'ended', version: 3, ending });
    expect(events[0]).toMatchObject({
      type: 'placement.ended',
      data: { placementId: placement.id, ...ending },
    });
  });

  it('takes an end on the start date, and refuses one before it or far ahead', () => {
    const w = DEFAULT_START_DATE_WINDOW;
    const placement = confirmed();
    expect(
      endPlacement(
        placement,
        { expectedVersion: 2, ...ending, endDate: '2026-11-01' },
        now,
        context,
        w,
      ).placement.status,
    ).toBe('ended');
    expect(
      refusal(() =>
        endPlacement(
          placement,
          { expectedVersion: 2, ...ending, endDate: '2026-10-31' },
          now,
          context,
          w,
        ),
      ),
    ).toEqual({ code: 'VALIDATION_FAILED', paths: ['endDate'] });
    expect(
      refusal(() =>
        endPlacement(
          placement,
          { expectedVersion: 2, ...ending, endDate: '2028-01-01' },
          now,
          context,
          w,
        ),
      ),
    ).toEqual({ code: 'VALIDATION_FAILED', paths: ['endDate'] });
  });

  it('refuses to end an ended placement', () => {
    const w = DEFAULT_START_DATE_WINDOW;
    const ended = endPlacement(
      confirmed(),
      { expectedVersion: 2, ...ending },
      now,
      context,
      w,
    ).placement;
    expect(
      refusal(() => endPlacement(ended, { expectedVersion: 3, ...ending }, now, context, w)).code,
    ).toBe('CONFLICT');
  });
});
