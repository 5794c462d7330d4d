import { Router, type Request, type Response } from 'express';
import { AppError } from '@sanad/errors';
import type { ServiceClient } from '../clients/service-client';
import { callerOf, type User } from '../domain/user';
import type { FormState, Translate } from './forms';
import { requireRole, requireUser, signedIn } from './identity.middleware';
import {
  openForm,
  type PlacementFormKind,
  PlacementIdParam,
  type PlacementView,
  type Supervisor,
} from './placement-forms';
import { submitPlacementForm } from './placement-forms.submit';
import { pageLocale, renderDone, renderFormPage, today } from './placement-forms.pages';

interface EmployerView {
  id: string;
  name: string;
  contacts: { id: string; role: 'hr' | 'supervisor'; fullName: string }[];
}

/** Each form: the service route it posts to, the page after it, and when it still applies. */
const FORMS = {
  confirm: {
    api: 'confirmation',
    done: 'confirmed',
    applies: (p: PlacementView) => p.status === 'recorded',
  },
  change: { api: 'changes', done: 'changed', applies: (p: PlacementView) => p.status !== 'ended' },
  end: { api: 'ending', done: 'ended', applies: (p: PlacementView) => p.status !== 'ended' },
} as const satisfies Record<
  PlacementFormKind,
  { api: string; done: string; applies: (p: PlacementView) => boolean }
>;

/**
 * Confirm a placement, report a change, report its end: the same forms as the employer's signed
 * links, for signed-in people. An employer user does it for their own employer's placements; staff
 * (coach, programme manager, admin) for those in their scope. The placement service decides who
 * may; these pages only ask it as the signed-in user.
 */
export function placementFormRoutes(deps: { placements: ServiceClient }): Router {
  const router = Router();
  const t = (res: Response) => res.locals.t as Translate;
  const signedInOnly = [
    requireUser,
    requireRole('employer-user', 'coach', 'programme-manager', 'admin'),
  ];

  const idOf = (req: Request) => {
    const parsed = PlacementIdParam.safeParse(req.params);
    if (!parsed.success) throw AppError.notFound('placement');
    return parsed.data.placementId;
  };

  /** Where to go after: staff to the placement's page, an employer user home. */
  const nextOf = (user: User, id: string) =>
    user.role === 'employer-user' ? '/' : `/placements/${id}`;
  const nextTextOf = (res: Response) =>
    t(res)(
      signedIn(res).role === 'employer-user' ? 'errors.homeLink' : 'placementForms.backToPlacement',
    );

  /** The placement as it is now and its employer's supervisors (none if the employer is away). */
  const load = async (res: Response, id: string) => {
    const caller = callerOf(signedIn(res));
    const answer = await deps.placements.get<{ placement: PlacementView }>(
      `/placements/${id}`,
      caller,
    );
    if (!answer) throw AppError.notFound('placement');
    const employer = await deps.placements
      .get<{ employer: EmployerView }>(`/employers/${answer.placement.employerId}`, caller)
      .catch(() => null);
    const supervisors: Supervisor[] = (employer?.employer.contacts ?? [])
      .filter((c) => c.role === 'supervisor')
      .map(({ id: contactId, fullName }) => ({ id: contactId, fullName }));
    return { placement: answer.placement, employerName: employer?.employer.name, supervisors };
  };
  type Loaded = Awaited<ReturnType<typeof load>>;

  const show = (
    res: Response,
    kind: PlacementFormKind,
    loaded: Loaded,
    status: number,
    form: FormState,
    notice?: string,
  ) => {
    const { placement } = loaded;
    renderFormPage(res, status, {
      kind,
      title: t(res)(`placementForms.${kind}.title`),
      intro: [t(res)(`placementForms.${kind}.intro`)],
      about: loaded.employerName
        ? [
            {
              key: t(res)('placementForms.fields.employer'),
              value: loaded.employerName,
              dir: 'auto' as const,
            },
          ]
        : [],
      form,
      action: `/placements/${placement.id}/${kind}`,
      placement,
      supervisors: loaded.supervisors,
      showTerms: kind !== 'confirm',
      notice,
      backHref: nextOf(signedIn(res), placement.id),
    });
  };

  /** Nothing left to do (confirmed or ended already): say so, with the way back. */
  const nothingToDo = (
    res: Response,
    kind: PlacementFormKind,
    placement: PlacementView,
    status = 200,
  ) =>
    renderDone(
      res,
      {
        title: t(res)(`placementForms.${kind}.notApplicable`),
        paragraphs: [
          t(res)('placementForms.statusNow', {
            status: t(res)(`placementStatus.${placement.status}`),
          }),
        ],
        nextHref: nextOf(signedIn(res), placement.id),
        nextText: nextTextOf(res),
      },
      status,
    );

  for (const kind of ['confirm', 'change', 'end'] as const) {
    const { api, done, applies } = FORMS[kind];

    router.get(`/placements/:placementId/${kind}`, ...signedInOnly, async (req, res) => {
      const loaded = await load(res, idOf(req));
      if (!applies(loaded.placement)) return nothingToDo(res, kind, loaded.placement);
      show(res, kind, loaded, 200, openForm(kind, loaded.placement, today()));
    });

    router.post(`/placements/:placementId/${kind}`, ...signedInOnly, async (req, res) => {
      const id = idOf(req);
      const user = signedIn(res);
      const loaded = await load(res, id);
      const { placement } = loaded;
      /** Changed since the form opened: the form again, as the placement is now. */
      const stale = async () => {
        const now = await load(res, id);
        // nothing left to do (confirmed or ended meanwhile): this form did not do its work
        if (!applies(now.placement)) return nothingToDo(res, kind, now.placement, 409);
        show(
          res,
          kind,
          now,
          409,
          openForm(kind, now.placement, today()),
          t(res)('placementForms.changedMeanwhile'),
        );
      };

      const submitted = await submitPlacementForm({
        kind,
        body: req.body,
        t: t(res),
        locale: pageLocale(res),
        current: placement,
        send: (request) =>
          deps.placements.send('POST', `/placements/${id}/${api}`, callerOf(user), {
            ...request,
            language: pageLocale(res), // its 400s in the page's language
          }),
      });
      if (submitted.outcome === 'invalid') return show(res, kind, loaded, 400, submitted.form);
      if (submitted.outcome === 'stale') return stale();
      res.redirect(303, `/placements/${id}/${done}`);
    });

    router.get(`/placements/:placementId/${done}`, ...signedInOnly, (req, res) => {
      const id = idOf(req);
      renderDone(res, {
        title: t(res)(`placementForms.done.${done}.title`),
        paragraphs: [t(res)(`placementForms.done.${done}.body`)],
        nextHref: nextOf(signedIn(res), id),
        nextText: nextTextOf(res),
      });
    });
  }

  return router;
}
