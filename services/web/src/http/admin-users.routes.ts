import { Router, type Response } from 'express';
import { z } from 'zod';
import { Role } from '@sanad/auth';
import { AppError } from '@sanad/errors';
import type { ServiceClient } from '../clients/service-client';
import type { makeInviteUser } from '../application/invitations';
import { callerOf } from '../domain/user';
import type { makeChangeUser, makeViewUser } from '../application/manage-users';
import type { ProgrammeRepository } from '../persistence/programmes.repository';
import type { UserRepository } from '../persistence/users.repository';
import { emptyForm, parseForm, type FormState, type Translate } from './forms';
import { requireRole, requireUser, signedIn } from './identity.middleware';

const listOf = z.preprocess(
  (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.uuid('errors.chooseOne')).max(200),
);
const optionalId = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() === '' ? null : typeof v === 'string' ? v.trim() : v),
  z.uuid('errors.uuid').nullable(),
);

/** Who a user is and what they may reach; an employer user must have an employer. */
const AccessFields = z.object({
  role: z.enum(Role.options, 'errors.chooseRole'),
  programmeIds: listOf,
  employerId: optionalId.default(null),
});
const needsEmployer = (f: { role: Role; employerId: string | null }) =>
  f.role !== 'employer-user' || f.employerId !== null;
const employerIssue = { path: ['employerId'], message: 'errors.employerRequired' };

// fields in the order the form shows them, so the error summary lists them in that order
const InviteForm = z
  .object({
    displayName: z.string().trim().min(1, 'errors.nameRequired').max(120, 'errors.tooLong'),
    email: z.string().trim().min(1, 'errors.emailRequired').max(254).pipe(z.email('errors.email')),
  })
  .extend(AccessFields.shape)
  .extend({ locale: z.enum(['ar', 'en'], 'errors.chooseLanguage') })
  .refine(needsEmployer, employerIssue);

const ChangeForm = AccessFields.extend({
  status: z.enum(['active', 'disabled'], 'errors.chooseOne'),
}).refine(needsEmployer, employerIssue);

const UserIdParam = z.object({ userId: z.uuid() });

export function adminUserRoutes(deps: {
  users: UserRepository;
  programmes: ProgrammeRepository;
  inviteUser: ReturnType<typeof makeInviteUser>;
  changeUser: ReturnType<typeof makeChangeUser>;
  viewUser: ReturnType<typeof makeViewUser>;
  publicUrl: string;
  /** The placement service, which knows the employers an employer user may belong to. */
  placements: ServiceClient;
}): Router {
  const router = Router();
  router.use('/admin/users', requireUser, requireRole('admin'));
  const t = (res: Response) => res.locals.t as Translate;
  const roles = Role.options;

  /** The employers to choose from (by name), and the one already chosen even if not among them. */
  const employers = async (res: Response, chosen: unknown) => {
    // the user pages work without the placement service: then only the chosen one is offered
    const answer = await deps.placements
      .get<{ employers: { id: string; name: string }[] }>(
        '/employers?limit=100',
        callerOf(signedIn(res)),
      )
      .catch((error: unknown) => {
        if (error instanceof AppError && error.code === 'DEPENDENCY_UNAVAILABLE') return null;
        throw error;
      });
    const list = answer?.employers ?? [];
    const known = typeof chosen === 'string' && chosen !== '' && !list.some((e) => e.id === chosen);
    return [...list, ...(known ? [{ id: chosen, name: chosen }] : [])];
  };

  router.get('/admin/users', async (_req, res) => {
    res.render('pages/admin/users', {
      title: t(res)('admin.users.title'),
      users: await deps.users.list(),
    });
  });

  const renderInvite = async (res: Response, status: number, form: FormState) =>
    res.status(status).render('pages/admin/invite-user', {
      title: t(res)('admin.invite.title'),
      form,
      roles,
      programmes: await deps.programmes.list(),
      employers: await employers(res, form.values.employerId),
    });

  router.get('/admin/users/new', async (_req, res) => {
    await renderInvite(res, 200, emptyForm({ locale: 'ar', programmeIds: [] }));
  });

  router.post('/admin/users', async (req, res) => {
    const parsed = parseForm(InviteForm, req.body, t(res));
    if (!parsed.ok) return renderInvite(res, 400, parsed.form);
    try {
      const { user, secret } = await deps.inviteUser(signedIn(res), parsed.data);
      res.status(201).render('pages/admin/invited', {
        title: t(res)('admin.invited.title'),
        invitee: user,
        link: `${deps.publicUrl}/invitations/${secret}`,
      });
    } catch (error) {
      if (error instanceof AppError && error.code === 'CONFLICT') {
        return renderInvite(res, 409, {
          values: parsed.data,
          errors: [{ field: 'email', message: t(res)('errors.emailTaken') }],
        });
      }
      throw error;
    }
  });

  const renderEdit = async (res: Response, status: number, userId: string, form?: FormState) => {
    const user = await deps.viewUser(signedIn(res), userId);
    const shown =
      form ??
      emptyForm({
        role: user.role,
        programmeIds: user.programmeIds,
        employerId: user.employerId ?? '',
        status: user.status === 'disabled' ? 'disabled' : 'active',
      });
    res.status(status).render('pages/admin/edit-user', {
      title: t(res)('admin.edit.title'),
      subject: user,
      roles,
      programmes: await deps.programmes.list(),
      employers: await employers(res, shown.values.employerId),
      form: shown,
      saved: res.req.query.saved === '1',
    });
  };

  router.get('/admin/users/:userId', async (req, res) => {
    const params = UserIdParam.safeParse(req.params);
    if (!params.success) throw AppError.notFound('user');
    await renderEdit(res, 200, params.data.userId);
  });

  router.post('/admin/users/:userId', async (req, res) => {
    const params = UserIdParam.safeParse(req.params);
    if (!params.success) throw AppError.notFound('user');
    const { userId } = params.data;
    const parsed = parseForm(ChangeForm, req.body, t(res));
    if (!parsed.ok) return renderEdit(res, 400, userId, parsed.form);
    try {
      await deps.changeUser(signedIn(res), userId, parsed.data);
    } catch (error) {
      if (error instanceof AppError && error.code === 'VALIDATION_FAILED') {
        return renderEdit(res, 400, userId, {
          values: parsed.data,
          errors: [{ field: 'role', message: t(res)('errors.selfDemotion') }],
        });
      }
      throw error;
    }
    res.redirect(303, `/admin/users/${userId}?saved=1`);
  });

  return router;
}
