import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { AppError, type FieldProblem } from '@sanad/errors';
import type { ServiceClient } from '../clients/service-client';
import { callerOf } from '../domain/user';
import type { ProgrammeRepository } from '../persistence/programmes.repository';
import { CONTACT_TYPES, RESPONDENTS } from './checkin-answers.forms';
import {
  parsePolicyForm,
  policyFieldOf,
  policyFormValues,
  rowCountOf,
  type FollowUpPolicyView,
} from './follow-up-policy.forms';
import { errorsOfService, type FormState, type Translate } from './forms';
import { requireRole, requireUser, signedIn } from './identity.middleware';
import { pageLocale } from './placement-forms.pages';

const ProgrammeIdParam = z.object({ programmeId: z.uuid() });
const Saved = z.object({ replanned: z.coerce.number().int().min(0).optional() });

/**
 * An admin's page for a programme's follow-up policy: which milestones, who answers at each, how
 * long a check-in may wait before it counts as missed, how coaches make contact, and whether the
 * open follow-ups of the programme are planned again. The check-in service keeps the policy; a
 * form read from an older version is refused there (409) and comes back as the policy is now.
 */
export function followUpPolicyRoutes(deps: {
  checkins: ServiceClient;
  programmes: ProgrammeRepository;
}): Router {
  const router = Router();
  const t = (res: Response) => res.locals.t as Translate;
  const path = '/admin/programmes/:programmeId/follow-up-policy';
  router.use(path, requireUser, requireRole('admin'));

  const programmeOf = async (req: Request) => {
    const parsed = ProgrammeIdParam.safeParse(req.params);
    const programme = parsed.success
      ? (await deps.programmes.list()).find((p) => p.id === parsed.data.programmeId)
      : undefined;
    if (!programme) throw AppError.notFound('programme');
    return programme;
  };

  const policyOf = async (res: Response, programmeId: string) => {
    const policy = await deps.checkins.get<FollowUpPolicyView>(
      `/programmes/${programmeId}/follow-up-policy`,
      callerOf(signedIn(res)),
    );
    if (!policy) throw AppError.notFound('follow-up policy');
    return policy;
  };

  const render = (
    res: Response,
    status: number,
    page: {
      programme: { id: string; name: string };
      policy: FollowUpPolicyView;
      form: FormState;
      notice?: { text: string; kind: 'success' | 'warning' };
    },
  ) => {
    res.status(status).render('pages/admin/follow-up-policy', {
      title: t(res)('followUpPolicy.title', { name: page.programme.name }),
      ...page,
      rowCount: rowCountOf(page.form.values),
      respondents: RESPONDENTS,
      contactTypes: CONTACT_TYPES,
    });
  };

  router.get(path, async (req, res) => {
    const programme = await programmeOf(req);
    const policy = await policyOf(res, programme.id);
    const saved = Saved.safeParse(req.query);
    const replanned = saved.success ? saved.data.replanned : undefined;
    render(res, 200, {
      programme,
      policy,
      form: { values: policyFormValues(policy), errors: [] },
      notice:
        replanned === undefined
          ? undefined
          : {
              text: `${t(res)('followUpPolicy.saved')} ${t(res)('followUpPolicy.replanned', { count: replanned })}`,
              kind: 'success',
            },
    });
  });

  router.post(path, async (req, res) => {
    const programme = await programmeOf(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const parsed = parsePolicyForm(body, t(res));
    if (!parsed.ok) {
      const policy = await policyOf(res, programme.id);
      return render(res, 400, { programme, policy, form: { values: body, errors: parsed.errors } });
    }
    let answer: { policy: FollowUpPolicyView; replanned: number };
    try {
      answer = await deps.checkins.send(
        'PUT',
        `/programmes/${programme.id}/follow-up-policy`,
        callerOf(signedIn(res)),
        {
          body: parsed.request,
          language: pageLocale(res),
        },
      );
    } catch (error) {
      if (error instanceof AppError && error.code === 'VALIDATION_FAILED') {
        const problems = (error.details.problems ?? []) as FieldProblem[];
        const policy = await policyOf(res, programme.id);
        return render(res, 400, {
          programme,
          policy,
          form: {
            values: body,
            errors: errorsOfService(problems, {
              fieldOf: (p) => policyFieldOf(p, parsed.rowOf),
              fallback: () => t(res)('errors.format'),
              locale: pageLocale(res),
            }),
          },
        });
      }
      if (error instanceof AppError && error.code === 'CONFLICT') {
        // someone saved the policy since this form was read: the policy as it is now
        const policy = await policyOf(res, programme.id);
        return render(res, 409, {
          programme,
          policy,
          form: { values: policyFormValues(policy), errors: [] },
          notice: { text: t(res)('followUpPolicy.stale'), kind: 'warning' },
        });
      }
      throw error;
    }
    res.redirect(
      303,
      `/admin/programmes/${programme.id}/follow-up-policy?replanned=${answer.replanned}`,
    );
  });

  return router;
}
