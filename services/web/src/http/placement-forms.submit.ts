import { AppError, type FieldProblem } from '@sanad/errors';
import type { FormState, Translate } from './forms';
import {
  errorsFromService,
  isConflict,
  parsePlacementForm,
  type PlacementFormKind,
  type PlacementView,
  requestBodyFor,
  valuesToRetry,
} from './placement-forms';

/** What became of a submitted placement form. */
export type Submitted<T> =
  /** Sent and accepted: the service's answer. */
  | { outcome: 'sent'; answer: T }
  /** Not sent, or refused by the service (400): the form again with these errors (400). */
  | { outcome: 'invalid'; form: FormState }
  /** The placement changed since the form opened (or meanwhile): the form again as it is now. */
  | { outcome: 'stale' };

/**
 * One submission of a placement form, the same for the employer's signed links and for the
 * signed-in pages: parse it, make the service's request (a change is what differs from
 * `current`; a form read from an older version is stale, one that changes nothing goes back),
 * send it, and turn the service's answer into what the page does next. Only the sending, and what
 * each page shows, differ between them.
 */
export async function submitPlacementForm<T>(options: {
  kind: PlacementFormKind;
  body: unknown;
  t: Translate;
  locale: 'ar' | 'en';
  /** The placement as it is now; a change form needs it. */
  current?: PlacementView;
  send: (request: { body: object; idempotencyKey: string }) => Promise<T>;
}): Promise<Submitted<T>> {
  const { kind, body, t, locale } = options;
  const parsed = parsePlacementForm(kind, body, t);
  if (!parsed.ok) return { outcome: 'invalid', form: parsed.form };
  const request = requestBodyFor(kind, parsed.data, options.current);
  if (!request.ok && request.why === 'stale') return { outcome: 'stale' };
  if (!request.ok) {
    return {
      outcome: 'invalid',
      form: {
        values: valuesToRetry(body),
        errors: [{ field: 'hoursPerWeek', message: t('placementForms.errors.nothingChanged') }],
      },
    };
  }
  try {
    const answer = await options.send({
      body: request.body,
      idempotencyKey: parsed.data.idempotencyKey,
    });
    return { outcome: 'sent', answer };
  } catch (error) {
    if (error instanceof AppError && error.code === 'VALIDATION_FAILED') {
      const problems = (error.details.problems ?? []) as FieldProblem[];
      return {
        outcome: 'invalid',
        form: { values: valuesToRetry(body), errors: errorsFromService(problems, kind, t, locale) },
      };
    }
    if (isConflict(error)) return { outcome: 'stale' };
    throw error;
  }
}
