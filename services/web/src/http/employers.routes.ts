import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { REGIONS, SECTORS } from '@sanad/contracts';
import { AppError } from '@sanad/errors';
import type { ServiceClient } from '../clients/service-client';
import { callerOf } from '../domain/user';
import {
  echo,
  emptyForm,
  errorsOfService,
  formErrors,
  parseForm,
  type FormError,
  type FormState,
  type Translate,
} from './forms';
import {
  CONTACT_ROLES,
  contactsBody,
  EmployerFilters,
  EmployerForm,
  EmployerIdParam,
  employerFieldOf,
  formValuesOf,
  NEW_CONTACT_ROWS,
  rowCountOf,
} from './employers.forms';
import { requireRole, requireUser, signedIn } from './identity.middleware';
import { employersFor, isStaff, STAFF_ROLES, type EmployerView } from './placements-pages.lookups';
import { pageLocale } from './placement-forms.pages';
import { isolated } from './views';

/**
 * Employers and their contacts. Staff list, create and edit them; an employer user sees and edits
 * their own organisation only (the placement service decides, and hides the others: 404).
 */
export function employerRoutes(deps: { placements: ServiceClient }): Router {
  const router = Router();
  const client = deps.placements;
  const t = (res: Response) => res.locals.t as Translate;
  const staffOnly = requireRole(...STAFF_ROLES);
  router.use('/employers', requireUser);

  const idOf = (req: Request) => {
    const parsed = EmployerIdParam.safeParse(req.params);
    if (!parsed.success) throw AppError.notFound('employer');
    return parsed.data.employerId;
  };

  /**
   * A service 400 on the employer form's fields (contact rows by their number on the form), one
   * message per field, in the page's language.
   */
  const serviceErrors = (error: AppError, rows: readonly number[], res: Response): FormError[] =>
    errorsOfService((error.details.problems ?? []) as { path: string; message?: unknown }[], {
      fieldOf: (path) => employerFieldOf(path, rows),
      fallback: () => t(res)('errors.format'),
      locale: pageLocale(res),
    });

  router.get('/employers', async (req, res) => {
    const user = signedIn(res);
    const parsed = EmployerFilters.safeParse(req.query);
    const employers = parsed.success ? await employersFor(client, callerOf(user), parsed.data) : [];
    res.status(parsed.success ? 200 : 400).render('pages/employers/list', {
      title: t(res)('employers.list.title'),
      form: parsed.success
        ? emptyForm(parsed.data)
        : { values: req.query, errors: formErrors(parsed.error, t(res)) },
      employers,
      sectors: SECTORS,
      regions: REGIONS,
      staff: isStaff(user),
    });
  });

  const renderForm = (
    res: Response,
    status: number,
    form: FormState,
    rowCount: number,
    employer: EmployerView | null,
    stale = false,
  ) =>
    res.status(status).render('pages/employers/form', {
      title: employer
        ? t(res)('employers.edit.title', { name: isolated(employer.name) })
        : t(res)('employers.new.title'),
      form,
      employer,
      stale,
      rows: Array.from({ length: rowCount }, (_, i) => i),
      sectors: SECTORS,
      regions: REGIONS,
      contactRoles: CONTACT_ROLES,
    });

  router.get('/employers/new', staffOnly, (_req, res) => {
    const values: Record<string, unknown> = { idempotencyKey: randomUUID() };
    for (let row = 0; row < NEW_CONTACT_ROWS; row += 1) {
      values[`contacts.${row}.role`] = row === 0 ? 'hr' : 'supervisor';
      values[`contacts.${row}.preferredLanguage`] = 'ar';
    }
    renderForm(res, 200, emptyForm(values), NEW_CONTACT_ROWS, null);
  });

  router.post('/employers/new', staffOnly, async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const rowCount = rowCountOf(body, NEW_CONTACT_ROWS);
    const parsed = parseForm(EmployerForm, body, t(res));
    if (!parsed.ok) return renderForm(res, 400, parsed.form, rowCount, null);
    const { name, sector, region, idempotencyKey } = parsed.data;
    const { rows, contacts } = contactsBody(parsed.data, { keepIds: false });
    try {
      const { employer } = await client.send<{ employer: EmployerView }>(
        'POST',
        '/employers',
        callerOf(signedIn(res)),
        { language: pageLocale(res), body: { name, sector, region, contacts }, idempotencyKey },
      );
      res.redirect(303, `/employers/${employer.id}?notice=created`);
    } catch (error) {
      if (error instanceof AppError && error.code === 'VALIDATION_FAILED') {
        return renderForm(
          res,
          400,
          { values: echo(body), errors: serviceErrors(error, rows, res) },
          rowCount,
          null,
        );
      }
      if (error instanceof AppError && error.code === 'CONFLICT') {
        // this form was sent before with other answers (back button): a fresh one, kept as typed
        return renderForm(
          res,
          409,
          {
            values: { ...echo(body), idempotencyKey: randomUUID() },
            errors: [{ field: 'name', message: t(res)('employers.errors.sentBefore') }],
          },
          rowCount,
          null,
        );
      }
      throw error;
    }
  });

  const employerOf = async (req: Request, res: Response) => {
    const answer = await client.get<{ employer: EmployerView }>(
      `/employers/${idOf(req)}`,
      callerOf(signedIn(res)),
    );
    if (!answer) throw AppError.notFound('employer');
    return answer.employer;
  };

  router.get('/employers/:employerId', async (req, res) => {
    const employer = await employerOf(req, res);
    res.render('pages/employers/show', {
      title: employer.name,
      employer,
      staff: isStaff(signedIn(res)),
      notice: ['created', 'saved'].find((n) => req.query.notice === n),
    });
  });

  router.get('/employers/:employerId/edit', async (req, res) => {
    const employer = await employerOf(req, res);
    const { values, rowCount } = formValuesOf(employer);
    renderForm(res, 200, emptyForm(values), rowCount, employer);
  });

  router.post('/employers/:employerId/edit', async (req, res) => {
    const id = idOf(req);
    const body = req.body as Record<string, unknown>;
    const current = await employerOf(req, res); // 404 for an employer the caller may not see
    const rowCount = rowCountOf(body, current.contacts.length);
    const parsed = parseForm(EmployerForm, body, t(res));
    if (!parsed.ok) return renderForm(res, 400, parsed.form, rowCount, current);
    const { name, sector, region, version } = parsed.data;
    const { rows, contacts } = contactsBody(parsed.data, { keepIds: true });
    try {
      await client.send('PUT', `/employers/${id}`, callerOf(signedIn(res)), {
        language: pageLocale(res),
        body: { version: version ?? 0, name, sector, region, contacts },
      });
    } catch (error) {
      if (error instanceof AppError && error.code === 'VALIDATION_FAILED') {
        return renderForm(
          res,
          400,
          { values: echo(body), errors: serviceErrors(error, rows, res) },
          rowCount,
          current,
        );
      }
      if (error instanceof AppError && error.code === 'CONFLICT') {
        // someone saved the employer since this form was opened: show it as it is now
        const fresh = await employerOf(req, res);
        const reloaded = formValuesOf(fresh);
        return renderForm(res, 409, emptyForm(reloaded.values), reloaded.rowCount, fresh, true);
      }
      throw error;
    }
    res.redirect(303, `/employers/${id}?notice=saved`);
  });

  return router;
}
