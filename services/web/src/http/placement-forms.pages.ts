import type { Response } from 'express';
import { DEFAULT_TIME_ZONE } from '../i18n';
import type { FormState, Translate } from './forms';
import {
  ACCOMMODATION_CODES,
  calendarDay,
  END_INITIATORS,
  END_REASONS,
  supervisorChoices,
  WAGE_PERIODS,
  type PlacementFormKind,
  type PlacementView,
  type Supervisor,
} from './placement-forms';

const t = (res: Response) => res.locals.t as Translate;
export const pageLocale = (res: Response): 'ar' | 'en' =>
  res.locals.locale === 'ar' ? 'ar' : 'en';

/** Today, as the programme's people count days: the default date of a change. */
export const today = (now = new Date()) => calendarDay(now, DEFAULT_TIME_ZONE);

export interface FormPage {
  kind: PlacementFormKind;
  title: string;
  intro: string[];
  /** Whose job, where, as rows of a summary list. */
  about?: { key: string; value: string; dir?: 'auto' }[];
  form: FormState;
  /** Where the form posts. */
  action: string;
  placement: PlacementView;
  supervisors: readonly Supervisor[];
  /** Show the terms as they are now above the form (change and end). */
  showTerms: boolean;
  /** A warning above the heading, such as "someone else changed this". */
  notice?: string;
  backHref?: string;
}

/** One of the placement forms on its page, with the lists its partials need. */
export function renderFormPage(res: Response, status: number, page: FormPage): void {
  const supervisors = supervisorChoices(
    page.supervisors,
    page.placement.supervisorId,
    t(res)('placementForms.fields.currentSupervisor'),
  );
  res.status(status).render('pages/placement-forms/form', {
    ...page,
    supervisors,
    supervisorName: supervisors.find((s) => s.id === page.placement.supervisorId)?.fullName,
    submitText: t(res)(`placementForms.${page.kind}.submit`),
    wagePeriods: WAGE_PERIODS,
    accommodationCodes: ACCOMMODATION_CODES,
    endReasons: END_REASONS,
    endInitiators: END_INITIATORS,
  });
}

/** The page after a form was accepted (or had nothing left to do). */
export function renderDone(
  res: Response,
  page: { title: string; paragraphs: string[]; nextHref?: string; nextText?: string },
  status = 200,
): void {
  res.status(status).render('pages/placement-forms/done', page);
}

/** The name of the placement's supervisor among the employer's, if any. */
export const supervisorNameOf = (placement: PlacementView, supervisors: readonly Supervisor[]) =>
  supervisors.find((s) => s.id === placement.supervisorId)?.fullName;
