import { Router, type Request, type Response } from 'express';
import { AppError, type FieldProblem } from '@sanad/errors';
import type { LinkClient } from '../clients/link-client';
import { isLocale, LANGUAGE_COOKIE, readCookie } from '../i18n';
import {
  answerErrorsFromService,
  answerSectionsView,
  answersToRetry,
  fieldsOf,
  idempotencyKeyOf,
  openAnswersForm,
  parseAnswers,
  sectionsFor,
} from './checkin-answers.forms';
import { linkPage, noReferrer } from './link-pages';
import type { FormState, Translate } from './forms';
import { pageLocale, renderDone } from './placement-forms.pages';
import { setLocaleLocals } from './views';

/** What GET /checkin-link answers (api.md): whose check-in, when, and whether it is answered. */
export interface CheckinLinkView {
  respondent: 'participant' | 'supervisor';
  milestoneDay: number;
  dueDate: string;
  expiresAt: string;
  language: 'ar' | 'en' | null;
  jobTitle: string | null;
  status: 'open' | 'completed';
}

/**
 * The participant's and the supervisor's check-in, opened from a signed link in a mail (no
 * account): one short page of questions, then thanks. As on the employer's /e/ pages, the secret
 * in the address goes to the check-in service only in a header, no page gives a referrer, and a
 * refused link gets a page that says why (410), never an error page.
 */
export function checkinLinkRoutes(deps: { links: LinkClient }): Router {
  const router = Router();
  const t = (res: Response) => res.locals.t as Translate;
  router.use('/c', noReferrer);

  const page = (handler: Parameters<typeof linkPage>[0]) => linkPage(handler);

  /**
   * The link's language when nothing chose another: no `lang` cookie (a choice on this device)
   * and no `?lang=` (the mail's hint) — the check-in service knows the person's language.
   */
  const useLinkLanguage = (req: Request, res: Response, link: CheckinLinkView) => {
    const chosen = readCookie(req.headers.cookie, LANGUAGE_COOKIE);
    if (isLocale(chosen) || isLocale(req.query.lang) || !link.language) return;
    setLocaleLocals(res, link.language, req.originalUrl);
  };

  /** The address of a page of this link, keeping the page's language for the next request. */
  const hrefOf = (res: Response, secret: string, suffix = '') =>
    `/c/${secret}${suffix}?lang=${pageLocale(res)}`;

  const load = (res: Response, secret: string) =>
    deps.links.get<CheckinLinkView>('/checkin-link', secret, { locale: pageLocale(res) });

  const answered = (res: Response, status: number, why: 'answered' | 'ended' = 'answered') =>
    renderDone(
      res,
      {
        title: t(res)(`checkinLink.${why}.title`),
        paragraphs: [t(res)(`checkinLink.${why}.body`), t(res)('checkinLink.done.close')],
      },
      status,
    );

  const showForm = (
    res: Response,
    secret: string,
    link: CheckinLinkView,
    status: number,
    form: FormState,
  ) => {
    const who = link.respondent;
    res.status(status).render('pages/checkin-link/form', {
      title: t(res)(`checkinLink.${who}.title`),
      intro: [
        t(res)(`checkinLink.${who}.intro`, { day: link.milestoneDay }),
        t(res)('checkinLink.time'),
      ],
      about: link.jobTitle
        ? [{ key: t(res)('checkinLink.job'), value: link.jobTitle, dir: 'auto' as const }]
        : [],
      form,
      respondent: who,
      action: hrefOf(res, secret),
      answerSections: answerSectionsView(sectionsFor(who), t(res)),
      submitText: t(res)('checkinLink.submit'),
    });
  };

  router.get(
    '/c/:secret',
    page(async (req, res, secret) => {
      const link = await load(res, secret);
      useLinkLanguage(req, res, link);
      if (link.status === 'completed') return answered(res, 200);
      showForm(res, secret, link, 200, openAnswersForm());
    }),
  );

  router.post(
    '/c/:secret',
    page(async (req, res, secret) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      // whose questions the form showed: the service checks the answers against the link's own
      // respondent, so a changed field only gets a 400. Sending reads nothing first: the same
      // form sent twice (same key) must reach the service twice, which answers both alike.
      const respondent = body.respondent === 'supervisor' ? 'supervisor' : 'participant';
      const sections = sectionsFor(respondent);
      const again = async (form: FormState) => {
        const link = await load(res, secret);
        if (link.status === 'completed') return answered(res, 409);
        showForm(res, secret, link, 400, form);
      };
      const parsed = parseAnswers(sections, body, t(res));
      if (!parsed.ok) return again({ values: { ...body }, errors: parsed.errors });
      try {
        await deps.links.post('/checkin-link/answers', secret, {
          body: { answers: parsed.answers },
          idempotencyKey: idempotencyKeyOf(body),
          locale: pageLocale(res),
        });
      } catch (error) {
        if (error instanceof AppError && error.code === 'VALIDATION_FAILED') {
          const problems = (error.details.problems ?? []) as FieldProblem[];
          return again({
            values: answersToRetry(body),
            errors: answerErrorsFromService(problems, fieldsOf(sections), t(res), pageLocale(res)),
          });
        }
        if (error instanceof AppError && error.code === 'CONFLICT') {
          // answered already (another tab, another device), or the job has ended
          const ended = /ended/.test(String(error.details.reason ?? error.message));
          return answered(res, 409, ended ? 'ended' : 'answered');
        }
        throw error;
      }
      res.redirect(303, hrefOf(res, secret, '/thanks'));
    }),
  );

  // what the person sees after: no call to the service, nothing personal on it
  router.get('/c/:secret/thanks', (_req, res) =>
    renderDone(res, {
      title: t(res)('checkinLink.done.title'),
      paragraphs: [t(res)('checkinLink.done.body'), t(res)('checkinLink.done.close')],
    }),
  );

  return router;
}
