import type { Caller } from '@sanad/auth';
import { AppError } from '@sanad/errors';
import type { Logger } from '@sanad/logger';
import type { ServiceClient } from '../clients/service-client';
import type { Translate } from './forms';

/** What the staff pages read of the check-in service's answers (api.md). */
export type CheckinStatus = 'scheduled' | 'due' | 'completed' | 'missed' | 'skipped' | 'cancelled';
export type Respondent = 'coach' | 'participant' | 'supervisor';
export type Channel = 'visit' | 'phone' | 'message' | 'web-link';

export interface PlannedCheckinView {
  checkinId: string;
  milestoneDay: number;
  respondent: Respondent;
  dueDate: string;
  missAfter?: string;
  status: CheckinStatus;
  skipReason?: string;
  completedAt?: string;
  daysOverdue?: number;
  invitation?: { sent: boolean; reason?: string; at: string };
}

export const SCORE_NAMES = [
  'stability',
  'professionalAdaptation',
  'socialAdaptation',
  'satisfaction',
] as const;

export interface CheckinRecordView {
  recordId: string;
  checkinId: string | null;
  milestoneDay: number | null;
  respondent: Respondent;
  channel: Channel;
  twoWay: boolean;
  recordedAt: string;
  scores: Partial<Record<(typeof SCORE_NAMES)[number], number | null>>;
  flags: unknown;
  answers: unknown;
  notes?: string;
}

export interface FollowUpsView {
  placementId: string;
  startDate: string;
  status?: 'open' | 'ended' | 'awaiting-confirmation';
  policyVersion?: number | null;
  checkins: PlannedCheckinView[];
  records?: CheckinRecordView[];
}

export interface DueTask {
  placementId: string;
  checkinId: string;
  milestoneDay: number;
  respondent: Respondent;
  dueDate: string;
  missAfter: string;
  status: 'due' | 'missed';
  daysOverdue: number;
}

/** The placement's follow-ups, or null when it has none (yet) the caller may see (404). */
export const followUpsOf = (checkins: ServiceClient, caller: Caller, placementId: string) =>
  checkins.get<FollowUpsView>(`/placements/${placementId}/follow-ups`, caller);

/** Status words' tag colours: the words say the status, the colour only repeats it. */
const STATUS_TAGS: Record<CheckinStatus, string> = {
  scheduled: 'neutral',
  due: 'warning',
  completed: 'success',
  missed: 'error',
  skipped: 'neutral',
  cancelled: 'neutral',
};

/** camelCase -> words, for a flag this app has no words for yet. */
const spelledOut = (key: string) =>
  key
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[-_]/g, ' ')
    .toLowerCase();

/**
 * A record's flags in words: the names of those raised (a flag object's true entries, or a list of
 * names), each in the page's language when the locale files have it.
 */
export function flagWords(flags: unknown, t: Translate): string[] {
  const raised = Array.isArray(flags)
    ? flags.map(String)
    : flags && typeof flags === 'object'
      ? Object.entries(flags as Record<string, unknown>)
          .filter(([, v]) => v === true)
          .map(([k]) => k)
      : [];
  return raised.map((name) => {
    const key = `checkins.flags.${name}`;
    const words = t(key);
    return words === key ? spelledOut(name) : words;
  });
}

/**
 * The Follow-up section of a placement's page: its check-ins and the answers given, in words. If
 * the check-in service is away the page still opens and says so (`unavailable`).
 */
export async function followUpSection(
  checkins: ServiceClient,
  caller: Caller,
  placementId: string,
  t: Translate,
  logger?: Logger,
) {
  let view: FollowUpsView | null;
  try {
    view = await followUpsOf(checkins, caller, placementId);
  } catch (error) {
    const away =
      error instanceof AppError && ['DEPENDENCY_UNAVAILABLE', 'FORBIDDEN'].includes(error.code);
    if (!away) throw error;
    logger?.warn({ err: error }, 'follow-ups unavailable for the placement page');
    return { unavailable: true as const };
  }
  if (!view) return { noPlan: true as const };
  return {
    status: view.status,
    checkins: view.checkins.map((c) => ({
      ...c,
      statusText: t(`checkins.status.${c.status}`),
      statusTag: STATUS_TAGS[c.status] ?? 'neutral',
      respondentText: t(`checkins.respondents.${c.respondent}`),
    })),
    records: (view.records ?? []).map((r) => ({
      ...r,
      respondentText: t(`checkins.respondents.${r.respondent}`),
      channelText: t(`checkins.channels.${r.channel}`),
      scoreRows: SCORE_NAMES.map((name) => ({
        key: t(`checkins.scores.${name}`),
        value:
          typeof r.scores?.[name] === 'number'
            ? t('checkins.scoreOutOf', { score: r.scores[name] })
            : t('checkins.noScore'),
      })),
      flagTexts: flagWords(r.flags, t),
    })),
  };
}
