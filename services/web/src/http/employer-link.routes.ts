import { Router, type Response } from 'express';
import { LinkRefusedError, type LinkClient } from '../clients/link-client';
import type { FormState, Translate } from './forms';
import { linkPage, linkSecretOf, noReferrer, renderRefused } from './link-pages';
import {
  openForm,
  type PlacementFormKind,
  type PlacementView,
  type Supervisor,
} from './placement-forms';
import { submitPlacementForm } from './placement-forms.submit';
import {
  pageLocale,
  renderDone,
  renderFormPage,
  supervisorNameOf,
  today,
} from './placement-forms.pages';

/** What GET /employer-link answers: the link's purpose and what its holder may see. */
export interface EmployerLinkView {
  purpose: 'confirm-placement' | 'report-change';
  expiresAt: string;
  placement: PlacementView;
  employer: { id: string; name: string; supervisors: Supervisor[] };
  participant: { fullName: string | null };
}

/** A link's secret as the mail gives it (base64url); anything else is not a link of ours. */

/** What each form sends to, and the page that thanks for it. */
const FORMS = {
  confirm: { path: '/employer-link/confirmation', purpose: 'confirm-placement', done: 'confirmed' },
  change: { path: '/employer-link/changes', purpose: 'report-change', done: 'changed' },
  end: { path: '/employer-link/ending', purpose: 'report-change', done: 'ended' },
} as const;

/**
 * Referrer-Policy no-referrer on every /e/ page: the secret is in the page's address, and no
 * other site may learn it from a link or a resource the page loads.
 */

/**
 * The employer's pages opened from a signed link in a mail (no account): confirm a placement, and
 * later report a change or its end. The secret in the address is passed on to the placement
 * service in a header; the service decides what the link allows. A refused link gets a page that
 * says why (410), never an error page.
 */
export function employerLinkRoutes(deps: { links: LinkClient }): Router {
  const router = Router();
  const t = (res: Response) => res.locals.t as Translate;
  router.use('/e', noReferrer);

  const load = (res: Response, secret: string) =>
    deps.links.get<EmployerLinkView>('/employer-link', secret, { locale: pageLocale(res) });

  /**
   * Runs a handler; a refused link (at any step) becomes the refused-link page. A form sent by a
   * link that is now for something else (confirmed since: it reports changes now) goes back to
   * the link's start, as opening that form does: the start says what the link is for now.
   */
  const page = (handler: Parameters<typeof linkPage>[0]) =>
    linkPage(handler, (req, res, error) =>
      req.method === 'POST' && error.reason === 'wrong-purpose'
        ? res.redirect(303, `/e/${linkSecretOf(req)}`)
        : renderRefused(res, error),
    );

  const introOf = (res: Response, kind: PlacementFormKind) =>
    kind === 'confirm'
      ? [t(res)('employerLink.confirm.intro'), t(res)('employerLink.confirm.check')]
      : [t(res)(`employerLink.${kind}.intro`)];

  /** Whose job, where: names in rows of their own (never inside a sentence of the other script). */
  const aboutOf = (res: Response, link: EmployerLinkView) => [
    {
      key: t(res)('employerLink.fields.employer'),
      value: link.employer.name,
      dir: 'auto' as const,
    },
    ...(link.participant.fullName
      ? [
          {
            key: t(res)('employerLink.fields.employee'),
            value: link.participant.fullName,
            dir: 'auto' as const,
          },
        ]
      : []),
  ];

  const showForm = (
    res: Response,
    secret: string,
    link: EmployerLinkView,
    kind: PlacementFormKind,
    status: number,
    form: FormState,
    notice?: string,
  ) =>
    renderFormPage(res, status, {
      kind,
      title: t(res)(`employerLink.${kind}.title`),
      intro: introOf(res, kind),
      about: aboutOf(res, link),
      form,
      action: `/e/${secret}/${kind}`,
      placement: link.placement,
      supervisors: link.employer.supervisors,
      showTerms: kind !== 'confirm',
      notice,
      backHref: kind === 'confirm' ? undefined : `/e/${secret}`,
    });

  /** The link as it is now, for one of its forms: another purpose goes back to the link's start. */
  const linkFor = async (res: Response, secret: string, kind: PlacementFormKind) => {
    const link = await load(res, secret);
    return link.purpose === FORMS[kind].purpose ? link : null;
  };

  router.get(
    '/e/:secret',
    page(async (_req, res, secret) => {
      const link = await load(res, secret);
      if (link.purpose === 'confirm-placement') {
        return showForm(
          res,
          secret,
          link,
          'confirm',
          200,
          openForm('confirm', link.placement, today()),
        );
      }
      res.render('pages/employer-link/report', {
        title: t(res)('employerLink.report.title'),
        intro: t(res)('employerLink.report.intro'),
        about: aboutOf(res, link),
        placement: link.placement,
        supervisorName: supervisorNameOf(link.placement, link.employer.supervisors),
        changeHref: `/e/${secret}/change`,
        endHref: `/e/${secret}/end`,
      });
    }),
  );

  for (const kind of ['confirm', 'change', 'end'] as const) {
    const { done } = FORMS[kind];

    router.get(
      `/e/:secret/${kind}`,
      page(async (_req, res, secret) => {
        // the confirmation form is the link's own page (this address is where it posts)
        const link = kind === 'confirm' ? null : await linkFor(res, secret, kind);
        if (!link) return res.redirect(303, `/e/${secret}`);
        showForm(res, secret, link, kind, 200, openForm(kind, link.placement, today()));
      }),
    );

    router.post(
      `/e/:secret/${kind}`,
      page(async (req, res, secret) => {
        // a change is what differs from the placement now: only that form needs it first. A form
        // of another purpose than the link's now (used for the confirmation since, say) goes back
        // to the link's start, as its GET does: that page says what the link is for now.
        const current = kind === 'change' ? await linkFor(res, secret, kind) : null;
        if (kind === 'change' && !current) return res.redirect(303, `/e/${secret}`);

        /** Someone changed the placement since the form opened: the form again, as it is now. */
        const stale = async () => {
          const link = await load(res, secret); // refused if nothing is left to do (used up)
          if (link.purpose !== FORMS[kind].purpose)
            return renderRefused(res, new LinkRefusedError('used-up'));
          showForm(
            res,
            secret,
            link,
            kind,
            409,
            openForm(kind, link.placement, today()),
            t(res)('placementForms.changedMeanwhile'),
          );
        };

        const submitted = await submitPlacementForm({
          kind,
          body: req.body,
          t: t(res),
          locale: pageLocale(res),
          current: current?.placement,
          send: (request) =>
            deps.links.post<{ employerLink?: { sent?: boolean } | null }>(
              FORMS[kind].path,
              secret,
              { ...request, locale: pageLocale(res) },
            ),
        });
        if (submitted.outcome === 'stale') return stale();
        if (submitted.outcome === 'invalid') {
          // the form again, as typed, with what was wrong
          const link = current ?? (await load(res, secret));
          if (link.purpose !== FORMS[kind].purpose) return res.redirect(303, `/e/${secret}`);
          return showForm(res, secret, link, kind, 400, submitted.form);
        }
        const { answer } = submitted;
        // a confirmation mails the link for later changes, unless it could not (then say so)
        const unsent = answer.employerLink?.sent === false;
        res.redirect(303, `/e/${secret}/${done}${unsent ? '?mailed=no' : ''}`);
      }),
    );

    // what the person sees after: no call to the service, nothing personal on it
    router.get(`/e/:secret/${done}`, (req, res) =>
      renderDone(res, {
        title: t(res)(`employerLink.done.${done}.title`),
        paragraphs: [
          t(res)(
            req.query.mailed === 'no' && done === 'confirmed'
              ? 'employerLink.done.confirmed.notMailed'
              : `employerLink.done.${done}.body`,
          ),
          t(res)('employerLink.done.close'),
        ],
      }),
    );
  }

  return router;
}
