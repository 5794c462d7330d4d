import type { FormError, Translate } from './forms';
import {
  CONTACT_TYPES,
  RESPONDENTS,
  type ContactType,
  type Respondent,
} from './checkin-answers.forms';

/** What GET /programmes/:programmeId/follow-up-policy answers (api.md). */
export interface FollowUpPolicyView {
  programmeId: string;
  /** 0: the default, never saved. */
  version: number;
  milestones: { day: number; respondents: Respondent[] }[];
  graceDays: number;
  channels: { coach: ContactType[]; participant: string[]; supervisor: string[] };
  updatedAt: string | null;
}

export const MAX_MILESTONES = 20;
/** Empty rows under the policy's milestones, to add some without JavaScript. */
export const SPARE_ROWS = 3;

/**
 * The policy form: one row per milestone (`milestones.<n>.day`, `milestones.<n>.respondents`), the
 * grace days, the coach's channels, and whether open plans follow the new policy. A row left
 * empty (no day, no one) is no milestone: clearing a row removes its milestone.
 */
export function policyFormValues(policy: FollowUpPolicyView): Record<string, unknown> {
  const values: Record<string, unknown> = {
    version: String(policy.version),
    graceDays: String(policy.graceDays),
    'channels.coach': [...policy.channels.coach],
    replanOpen: '',
    rows: String(Math.min(MAX_MILESTONES, policy.milestones.length + SPARE_ROWS)),
  };
  policy.milestones.forEach((m, i) => {
    values[`milestones.${i}.day`] = String(m.day);
    values[`milestones.${i}.respondents`] = [...m.respondents];
  });
  return values;
}

const list = (v: unknown): string[] =>
  v === undefined || v === '' ? [] : Array.isArray(v) ? v.map(String) : [String(v)];

const wholeNumber = (v: unknown, min: number, max: number): number | null => {
  const text = typeof v === 'string' ? v.trim() : '';
  if (!/^\d+$/.test(text)) return null;
  const n = Number(text);
  return n >= min && n <= max ? n : null;
};

export interface PolicyRequest {
  version: number;
  milestones: { day: number; respondents: Respondent[] }[];
  graceDays: number;
  channels: { coach: ContactType[]; participant: ['email']; supervisor: ['email'] };
  replanOpen: boolean;
}

/** How many rows the form had (the policy's and the spare ones). */
export const rowCountOf = (body: Record<string, unknown>) =>
  wholeNumber(body.rows, 0, MAX_MILESTONES + SPARE_ROWS) ?? MAX_MILESTONES;

/**
 * The PUT body a submitted form makes, with the row each milestone came from (to put the
 * service's problems back on it), or the errors, in the form's order.
 */
export function parsePolicyForm(
  body: Record<string, unknown>,
  t: Translate,
): { ok: true; request: PolicyRequest; rowOf: number[] } | { ok: false; errors: FormError[] } {
  const errors: FormError[] = [];
  const milestones: (PolicyRequest['milestones'][number] & { row: number })[] = [];
  for (let row = 0; row < rowCountOf(body); row += 1) {
    const dayText = body[`milestones.${row}.day`];
    const respondents = list(body[`milestones.${row}.respondents`]);
    const blankDay = typeof dayText !== 'string' || dayText.trim() === '';
    if (blankDay && respondents.length === 0) continue;
    const day = wholeNumber(dayText, 1, 730);
    if (day === null) {
      errors.push({ field: `milestones.${row}.day`, message: t('followUpPolicy.errors.day') });
    } else if (milestones.some((m) => m.day === day)) {
      errors.push({ field: `milestones.${row}.day`, message: t('followUpPolicy.errors.sameDay') });
    }
    const known = respondents.filter((r): r is Respondent => RESPONDENTS.includes(r as Respondent));
    if (known.length === 0 || known.length !== respondents.length) {
      errors.push({
        field: `milestones.${row}.respondents`,
        message: t('followUpPolicy.errors.respondents'),
      });
    }
    if (day !== null) milestones.push({ day, respondents: [...new Set(known)], row });
  }
  if (milestones.length === 0 && errors.length === 0) {
    errors.push({ field: 'milestones.0.day', message: t('followUpPolicy.errors.noMilestone') });
  }
  const graceDays = wholeNumber(body.graceDays, 1, 60);
  if (graceDays === null) {
    errors.push({ field: 'graceDays', message: t('followUpPolicy.errors.graceDays') });
  }
  const coach = list(body['channels.coach']);
  const channels = coach.filter((c): c is ContactType => CONTACT_TYPES.includes(c as ContactType));
  if (channels.length === 0 || channels.length !== coach.length) {
    errors.push({ field: 'channels.coach', message: t('followUpPolicy.errors.channels') });
  }
  const version = wholeNumber(body.version, 0, Number.MAX_SAFE_INTEGER);
  if (errors.length || graceDays === null || version === null) {
    return {
      ok: false,
      errors: errors.length ? errors : [{ field: 'graceDays', message: t('errors.format') }],
    };
  }
  const sorted = [...milestones].sort((a, b) => a.day - b.day);
  return {
    ok: true,
    rowOf: sorted.map((m) => m.row),
    request: {
      version,
      milestones: sorted.map(({ day, respondents }) => ({ day, respondents })),
      graceDays,
      channels: { coach: [...new Set(channels)], participant: ['email'], supervisor: ['email'] },
      replanOpen: body.replanOpen === 'yes',
    },
  };
}

/**
 * The form field a path of the service's 400 names: `milestones.2.respondents.0` -> the row that
 * milestone came from; `channels.coach.1` -> `channels.coach`; anything else -> the grace days.
 */
export function policyFieldOf(path: string, rowOf: readonly number[]): string {
  const parts = path.split('.').filter((p) => p !== 'body');
  if (parts[0] === 'milestones') {
    const row = rowOf[Number(parts[1])] ?? 0;
    return `milestones.${row}.${parts[2] === 'respondents' ? 'respondents' : 'day'}`;
  }
  if (parts[0] === 'channels') return 'channels.coach';
  return 'graceDays';
}
