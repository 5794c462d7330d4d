import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { AppError, type FieldProblem } from '@sanad/errors';
import type { ServiceClient } from '../clients/service-client';
import { callerOf, type User } from '../domain/user';
import {
  answerErrorsFromService,
  answerSectionsView,
  answersToRetry,
  CONTACT_TYPES,
  fieldsOf,
  idempotencyKeyOf,
  openAnswersForm,
  parseAnswers,
  PARTICIPANT_SECTIONS,
  RESPONDENTS,
} from './checkin-answers.forms';
import { followUpsOf, type DueTask } from './follow-ups.view';
import type { FormError, FormState, Translate } from './forms';
import { requireRole, requireUser, signedIn } from './identity.middleware';
import { PlacementIdParam } from './placement-forms';
import { pageLocale } from './placement-forms.pages';
import { participantCodes, shortId, type PlacementView } from './placements-pages.lookups';
import { isolated } from './views';

/** Who records check-ins and sees what is due: the programme's staff, never an employer user. */
const CHECKIN_ROLES = ['admin', 'programme-manager', 'coach'] as const;

/** The coach's own fields around the answers, in the form's order. */
const COACH_FIELDS = ['contactType', 'twoWay', 'checkinId'] as const;

const CoachFields = z.object({
  contactType: z.enum(CONTACT_TYPES, 'checkins.errors.contactType'),
  twoWay: z.enum(['yes', 'no'], 'checkins.errors.twoWay'),
  /** '' is "not a planned check-in". */
  checkinId: z.union([z.literal(''), z.uuid('checkins.errors.checkinId')]).default(''),
  notes: z.string('checkins.errors.notes').trim().max(4000, 'checkins.errors.notes').default(''),
});

const DueFilters = z.object({
  respondent: z.union([z.literal(''), z.enum(RESPONDENTS)]).default(''),
});

/**
 * The coach's check-in pages: record a check-in (a visit, a call, a message) for a placement, with
 * the same answers the participant's link asks, every section optional; and the list of check-ins
 * due across what the caller may see. The check-in service decides who may do what; these pages
 * only ask it, as the signed-in user.
 */
export function checkinPageRoutes(deps: {
  checkins: ServiceClient;
  placements: ServiceClient;
}): Router {
  const router = Router();
  const t = (res: Response) => res.locals.t as Translate;
  const staffOnly = requireRole(...CHECKIN_ROLES);

  const placementIdOf = (req: Request) => {
    const parsed = PlacementIdParam.safeParse(req.params);
    if (!parsed.success) throw AppError.notFound('placement');
    return parsed.data.placementId;
  };

  // ---------- check-ins due ----------

  router.get('/checkins', requireUser, staffOnly, async (req, res) => {
    const user = signedIn(res);
    const caller = callerOf(user);
    const parsed = DueFilters.safeParse(req.query);
    const filters = parsed.success ? parsed.data : { respondent: '' as const };
    const query = new URLSearchParams({ limit: '200' });
    if (user.role === 'coach') query.set('coachId', user.id);
    if (filters.respondent) query.set('respondent', filters.respondent);
    const answer = await deps.checkins.get<{ items: DueTask[] }>(
      `/checkins/due?${query.toString()}`,
      caller,
    );
    const items = answer?.items ?? [];
    const labels = items.length ? await placementLabels(user) : new Map<string, string>();
    res.render('pages/checkins/due', {
      title: t(res)('checkins.due.title'),
      form: {
        values: filters,
        errors: parsed.success
          ? []
          : [{ field: 'respondent', message: t(res)('errors.chooseOne') }],
      },
      respondents: RESPONDENTS,
      rows: items.map((item) => ({
        ...item,
        placementLabel: labels.get(item.placementId) ?? shortId(item.placementId),
        respondentText: t(res)(`checkins.respondents.${item.respondent}`),
        statusText: t(res)(`checkins.status.${item.status}`),
      })),
    });
  });

  /** "Code – job title" of each placement the user may see (lists never show names). */
  const placementLabels = async (user: User) => {
    const caller = callerOf(user);
    const [answer, codes] = await Promise.all([
      deps.placements.get<{ placements: PlacementView[] }>('/placements?limit=100', caller),
      participantCodes(deps.placements, user, caller),
    ]);
    return new Map(
      (answer?.placements ?? []).map((p) => [
        p.id,
        `${codes.get(p.participantId) ?? shortId(p.participantId)} – ${p.jobTitle}`,
      ]),
    );
  };

  // ---------- recording a check-in ----------

  const renderNew = async (
    res: Response,
    placementId: string,
    status: number,
    form: FormState,
    notice?: string,
  ) => {
    const caller = callerOf(signedIn(res));
    const [placement, followUps] = await Promise.all([
      deps.placements.get<{ placement: PlacementView }>(`/placements/${placementId}`, caller),
      followUpsOf(deps.checkins, caller, placementId),
    ]);
    if (!placement) throw AppError.notFound('placement');
    // no plan yet (its event is on the way): the form still opens, with no planned check-in
    const planned = (followUps?.checkins ?? []).filter(
      (c) => c.respondent === 'coach' && (c.status === 'scheduled' || c.status === 'due'),
    );
    // a new form answers the coach's check-in due now, unless the coach chooses another
    const values =
      form.values.checkinId === undefined
        ? { ...form.values, checkinId: planned.find((c) => c.status === 'due')?.checkinId ?? '' }
        : form.values;
    res.status(status).render('pages/checkins/new', {
      title: t(res)('checkins.new.title', { jobTitle: isolated(placement.placement.jobTitle) }),
      jobTitle: placement.placement.jobTitle,
      placementId,
      form: { ...form, values },
      notice,
      contactTypes: CONTACT_TYPES,
      plannedItems: [
        { value: '', text: t(res)('checkins.new.notPlanned') },
        ...planned.map((c) => ({
          value: c.checkinId,
          text: t(res)('checkins.new.plannedItem', {
            day: c.milestoneDay,
            status: t(res)(`checkins.status.${c.status}`),
          }),
        })),
      ],
      answerSections: answerSectionsView(PARTICIPANT_SECTIONS, t(res), { optional: true }),
    });
  };

  router.get('/placements/:placementId/checkins/new', requireUser, staffOnly, async (req, res) => {
    const placementId = placementIdOf(req);
    const chosen = typeof req.query.checkinId === 'string' ? req.query.checkinId : undefined;
    const form = openAnswersForm({
      twoWay: 'yes',
      ...(chosen === undefined ? {} : { checkinId: chosen }),
    });
    await renderNew(res, placementId, 200, form);
  });

  router.post('/placements/:placementId/checkins/new', requireUser, staffOnly, async (req, res) => {
    const placementId = placementIdOf(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const fields = CoachFields.safeParse(body);
    const answers = parseAnswers(PARTICIPANT_SECTIONS, body, t(res), { sectionsOptional: true });
    const errors: FormError[] = [];
    if (!fields.success) {
      for (const issue of fields.error.issues) {
        const field = String(issue.path[0] ?? 'contactType');
        if (errors.some((e) => e.field === field)) continue;
        errors.push({
          field,
          message: t(res)(
            issue.message.startsWith('checkins.') ? issue.message : 'errors.chooseOne',
          ),
        });
      }
      errors.sort(
        (a, b) => COACH_FIELDS.indexOf(a.field as never) - COACH_FIELDS.indexOf(b.field as never),
      );
    }
    if (!answers.ok) errors.push(...answers.errors);
    if (!fields.success || !answers.ok) {
      return renderNew(res, placementId, 400, { values: { ...body }, errors });
    }
    const { contactType, twoWay, checkinId, notes } = fields.data;
    try {
      await deps.checkins.send(
        'POST',
        `/placements/${placementId}/checkins`,
        callerOf(signedIn(res)),
        {
          language: pageLocale(res),
          idempotencyKey: idempotencyKeyOf(body),
          body: {
            ...(checkinId ? { checkinId } : {}),
            contactType,
            twoWay: twoWay === 'yes',
            answers: answers.answers,
            ...(notes ? { notes } : {}),
          },
        },
      );
    } catch (error) {
      if (error instanceof AppError && error.code === 'VALIDATION_FAILED') {
        const problems = (error.details.problems ?? []) as FieldProblem[];
        const all = [...COACH_FIELDS, ...fieldsOf(PARTICIPANT_SECTIONS), 'notes'];
        return renderNew(res, placementId, 400, {
          values: answersToRetry(body),
          errors: answerErrorsFromService(problems, all, t(res), pageLocale(res), 'contactType'),
        });
      }
      if (error instanceof AppError && error.code === 'CONFLICT') {
        // that check-in was completed meanwhile, or the placement has ended: say which
        const ended = /ended/.test(String(error.details.reason ?? error.message));
        return renderNew(
          res,
          placementId,
          409,
          { values: answersToRetry(body), errors: [] },
          t(res)(ended ? 'checkins.new.placementEnded' : 'checkins.new.alreadyCompleted'),
        );
      }
      throw error;
    }
    res.redirect(303, `/placements/${placementId}?checkin=recorded#follow-up`);
  });

  return router;
}
