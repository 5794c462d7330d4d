import {
  answerErrorsFromService,
  answerFieldOf,
  answerSectionsView,
  fieldsOf,
  parseAnswers,
  PARTICIPANT_SECTIONS,
  SUPERVISOR_SECTIONS,
} from '../src/http/checkin-answers.forms';
import { flagWords } from '../src/http/follow-ups.view';
import {
  parsePolicyForm,
  policyFieldOf,
  policyFormValues,
} from '../src/http/follow-up-policy.forms';
import { translatorFor } from '../src/i18n';

const t = (key: string) => key;
const en = translatorFor('en');
const ar = translatorFor('ar');

const participantForm = {
  'stability.stillEmployed': 'yes',
  'stability.hoursLastWeek': '١٧٫٥', // Arabic-Indic digits and decimal sign
  'stability.absenceDays': '0',
  'stability.lateDays': '2',
  'stability.wageChange': 'down',
  'professional.copesWithTasks': '4',
  'professional.supervisorRelation': '2',
  'professional.accommodationsInPlace': 'partly',
  'social.coworkerRelations': '3',
  'social.feelsIncluded': '1',
  'social.transportProblem': 'no',
  'social.wellbeing': '5',
  satisfaction: '3',
};

describe('check-in answers from a form', () => {
  it('makes the participant’s answers, as the contract has them', () => {
    expect(parseAnswers(PARTICIPANT_SECTIONS, participantForm, t)).toEqual({
      ok: true,
      answers: {
        stability: {
          stillEmployed: true,
          hoursLastWeek: 17.5,
          absenceDays: 0,
          lateDays: 2,
          wageChange: 'down',
        },
        professional: { copesWithTasks: 4, supervisorRelation: 2, accommodationsInPlace: 'partly' },
        social: { coworkerRelations: 3, feelsIncluded: 1, transportProblem: false, wellbeing: 5 },
        satisfaction: 3,
      },
    });
  });

  it('names each wrong or missing answer once, in the form’s order', () => {
    const parsed = parseAnswers(
      PARTICIPANT_SECTIONS,
      {
        ...participantForm,
        'stability.hoursLastWeek': '17.3', // half hours only
        'stability.lateDays': '8',
        'social.wellbeing': '6',
        satisfaction: ['3', '4'],
      },
      t,
    );
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.errors.map((e) => e.field)).toEqual([
      'stability.hoursLastWeek',
      'stability.lateDays',
      'social.wellbeing',
      'satisfaction',
    ]);
  });

  it('leaves the supervisor’s hours out when not given, and asks 7 questions', () => {
    const form = {
      attendance: '5',
      punctuality: '4',
      taskPerformance: '3',
      relations: '2',
      accommodationsWorking: 'none-agreed',
      concern: 'yes',
      hoursLastWeek: '',
    };
    expect(fieldsOf(SUPERVISOR_SECTIONS)).toHaveLength(7);
    expect(parseAnswers(SUPERVISOR_SECTIONS, form, t)).toEqual({
      ok: true,
      answers: {
        attendance: 5,
        punctuality: 4,
        taskPerformance: 3,
        relations: 2,
        accommodationsWorking: 'none-agreed',
        concern: true,
      },
    });
  });

  it('lets a coach leave whole sections out, but not half of one', () => {
    const social = {
      'social.coworkerRelations': '3',
      'social.feelsIncluded': '1',
      'social.transportProblem': 'yes',
      'social.wellbeing': '2',
    };
    const options = { sectionsOptional: true };
    expect(parseAnswers(PARTICIPANT_SECTIONS, social, t, options)).toEqual({
      ok: true,
      answers: {
        social: { coworkerRelations: 3, feelsIncluded: 1, transportProblem: true, wellbeing: 2 },
      },
    });
    expect(parseAnswers(PARTICIPANT_SECTIONS, {}, t, options)).toEqual({ ok: true, answers: {} });
    const half = parseAnswers(PARTICIPANT_SECTIONS, { 'social.wellbeing': '2' }, t, options);
    expect(!half.ok && half.errors.map((e) => e.field)).toEqual([
      'social.coworkerRelations',
      'social.feelsIncluded',
      'social.transportProblem',
    ]);
  });

  it('puts the service’s problems on the questions they name', () => {
    const fields = fieldsOf(PARTICIPANT_SECTIONS);
    expect(answerFieldOf('answers.social.wellbeing', fields, 'x')).toBe('social.wellbeing');
    expect(answerFieldOf('answers.satisfaction', fields, 'x')).toBe('satisfaction');
    expect(answerFieldOf('answers', fields, 'x')).toBe('x');
    const errors = answerErrorsFromService(
      [
        { path: 'answers.satisfaction', message: 'too big' },
        { path: 'answers.stability.hoursLastWeek', message: 'عدد الساعات كبير' },
      ],
      fields,
      ar,
      'ar',
    );
    expect(errors).toEqual([
      { field: 'stability.hoursLastWeek', message: 'عدد الساعات كبير' },
      { field: 'satisfaction', message: ar('checkins.errors.satisfaction') },
    ]);
  });

  it('gives every point of every scale its words, in both languages', () => {
    for (const translate of [en, ar]) {
      const sections = answerSectionsView(
        [...PARTICIPANT_SECTIONS, ...SUPERVISOR_SECTIONS],
        translate,
      );
      for (const q of sections.flatMap((s) => s.questions)) {
        expect(q.label).not.toMatch(/^checkins\./);
        for (const item of q.items ?? []) expect(item.text).not.toMatch(/^checkins\./);
      }
    }
  });
});

describe('warning flags in words', () => {
  it('names the raised flags, and spells out one it has no words for', () => {
    expect(flagWords({ transportProblem: true, hoursCut: false, newThing: true }, en)).toEqual([
      en('checkins.flags.transportProblem'),
      'new thing',
    ]);
    expect(flagWords(null, en)).toEqual([]);
  });
});

describe('the follow-up policy form', () => {
  const policy = {
    programmeId: 'p',
    version: 3,
    milestones: [
      { day: 7, respondents: ['coach', 'participant'] as const },
      { day: 30, respondents: ['supervisor'] as const },
    ].map((m) => ({ ...m, respondents: [...m.respondents] })),
    graceDays: 7,
    channels: { coach: ['phone' as const], participant: ['email'], supervisor: ['email'] },
    updatedAt: null,
  };

  it('reads the rows back, dropping empty ones and sorting by day', () => {
    const values = policyFormValues(policy);
    expect(values).toMatchObject({ version: '3', rows: '5', 'milestones.1.day': '30' });
    const parsed = parsePolicyForm(
      {
        ...values,
        'milestones.0.day': '90',
        'milestones.2.day': '14',
        'milestones.2.respondents': 'coach',
        replanOpen: 'yes',
      } as Record<string, unknown>,
      t,
    );
    expect(parsed).toEqual({
      ok: true,
      rowOf: [2, 1, 0],
      request: {
        version: 3,
        milestones: [
          { day: 14, respondents: ['coach'] },
          { day: 30, respondents: ['supervisor'] },
          { day: 90, respondents: ['coach', 'participant'] },
        ],
        graceDays: 7,
        channels: { coach: ['phone'], participant: ['email'], supervisor: ['email'] },
        replanOpen: true,
      },
    });
    expect(policyFieldOf('milestones.0.respondents.1', [2, 1, 0])).toBe('milestones.2.respondents');
    expect(policyFieldOf('channels.coach.0', [])).toBe('channels.coach');
  });

  it('names a wrong day, the same day twice, a row with no one, the grace days and channels', () => {
    const parsed = parsePolicyForm(
      {
        rows: '4',
        version: '1',
        'milestones.0.day': '7',
        'milestones.0.respondents': 'coach',
        'milestones.1.day': '7',
        'milestones.1.respondents': 'coach',
        'milestones.2.day': '731',
        'milestones.3.day': '60',
        graceDays: '0',
      },
      t,
    );
    expect(!parsed.ok && parsed.errors.map((e) => e.field)).toEqual([
      'milestones.1.day',
      'milestones.2.day',
      'milestones.2.respondents',
      'milestones.3.respondents',
      'graceDays',
      'channels.coach',
    ]);
  });
});
