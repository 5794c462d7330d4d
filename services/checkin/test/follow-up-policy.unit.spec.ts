import { DEFAULT_POLICY, dueChannelOf, FollowUpPolicyRules } from '../src/domain/follow-up-policy';

const valid = {
  milestones: [
    { day: 7, respondents: ['coach'] },
    { day: 30, respondents: ['coach', 'participant', 'supervisor'] },
  ],
  graceDays: 7,
  channels: { coach: ['phone'] },
};

/** The paths of the problems zod finds, joined as the API names them. */
const problems = (input: unknown) => {
  const result = FollowUpPolicyRules.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => i.path.join('.'));
};

describe('the rules of a follow-up policy', () => {
  it('accepts a valid policy and fills in the email channels', () => {
    const parsed = FollowUpPolicyRules.parse(valid);
    expect(parsed.channels).toEqual({
      coach: ['phone'],
      participant: ['email'],
      supervisor: ['email'],
    });
  });

  it('accepts the default policy', () => {
    expect(FollowUpPolicyRules.parse(DEFAULT_POLICY)).toEqual(DEFAULT_POLICY);
  });

  it('refuses days out of order, naming the milestone day', () => {
    const milestones = [
      { day: 30, respondents: ['coach'] },
      { day: 7, respondents: ['coach'] },
    ];
    expect(problems({ ...valid, milestones })).toEqual(['milestones.1.day']);
  });

  it('refuses the same day twice, naming the second', () => {
    const milestones = [
      { day: 7, respondents: ['coach'] },
      { day: 14, respondents: ['coach'] },
      { day: 14, respondents: ['participant'] },
    ];
    expect(problems({ ...valid, milestones })).toEqual(['milestones.2.day']);
  });

  it.each([
    ['a respondent twice', ['coach', 'coach']],
    ['no respondent', []],
    ['an unknown respondent', ['employer']],
    ['more than three', ['coach', 'participant', 'supervisor', 'coach']],
  ])('refuses a milestone with %s, naming its respondents', (_what, respondents) => {
    const milestones = [{ day: 7, respondents }];
    expect(problems({ ...valid, milestones })[0]).toMatch(/^milestones\.0\.respondents/);
  });

  it.each([
    ['day 0', { milestones: [{ day: 0, respondents: ['coach'] }] }, 'milestones.0.day'],
    ['day 731', { milestones: [{ day: 731, respondents: ['coach'] }] }, 'milestones.0.day'],
    [
      'a fractional day',
      { milestones: [{ day: 7.5, respondents: ['coach'] }] },
      'milestones.0.day',
    ],
    ['no milestone', { milestones: [] }, 'milestones'],
    [
      '21 milestones',
      {
        milestones: Array.from({ length: 21 }, (_, i) => ({ day: i + 1, respondents: ['coach'] })),
      },
      'milestones',
    ],
    ['grace 0', { graceDays: 0 }, 'graceDays'],
    ['grace 61', { graceDays: 61 }, 'graceDays'],
    ['no coach channel', { channels: { coach: [] } }, 'channels.coach'],
    ['a coach channel twice', { channels: { coach: ['phone', 'phone'] } }, 'channels.coach'],
    ['an unknown coach channel', { channels: { coach: ['fax'] } }, 'channels.coach.0'],
    [
      'a participant channel other than email',
      { channels: { coach: ['phone'], participant: ['sms'] } },
      'channels.participant.0',
    ],
    ['an unknown field', { extra: true }, ''],
  ])('refuses %s, naming the path', (_what, change, path) => {
    expect(problems({ ...valid, ...change })).toEqual([path]);
  });

  it('accepts the limits: days 1 and 730, 20 milestones, grace 1 and 60', () => {
    expect(
      problems({
        ...valid,
        milestones: [
          { day: 1, respondents: ['coach'] },
          { day: 730, respondents: ['participant'] },
        ],
        graceDays: 60,
      }),
    ).toEqual([]);
    expect(
      problems({
        ...valid,
        milestones: Array.from({ length: 20 }, (_, i) => ({ day: i + 1, respondents: ['coach'] })),
        graceDays: 1,
      }),
    ).toEqual([]);
  });

  it('reaches the coach by the first coach channel and the others by link', () => {
    expect(
      dueChannelOf('coach', { channels: { ...DEFAULT_POLICY.channels, coach: ['visit'] } }),
    ).toBe('visit');
    expect(dueChannelOf('participant', DEFAULT_POLICY)).toBe('web-link');
    expect(dueChannelOf('supervisor', DEFAULT_POLICY)).toBe('web-link');
  });
});
