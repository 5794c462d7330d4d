import { randomUUID } from 'node:crypto';
import { Router, type Response } from 'express';
import { z } from 'zod';
import type { ProgrammeRepository } from '../persistence/programmes.repository';
import { emptyForm, parseForm, type FormState, type Translate } from './forms';
import { requireRole, requireUser } from './identity.middleware';

const ProgrammeForm = z.object({
  name: z.string().trim().min(1, 'errors.nameRequired').max(120, 'errors.tooLong'),
});

/** Admins keep the list of programmes that managers and coaches belong to. */
export function adminProgrammeRoutes(deps: { programmes: ProgrammeRepository }): Router {
  const router = Router();
  router.use('/admin/programmes', requireUser, requireRole('admin'));
  const t = (res: Response) => res.locals.t as Translate;

  const render = async (res: Response, status: number, form: FormState, addedId?: unknown) => {
    const programmes = await deps.programmes.list();
    res.status(status).render('pages/admin/programmes', {
      title: t(res)('admin.programmes.title'),
      programmes,
      form,
      added: programmes.find((p) => p.id === addedId),
    });
  };

  router.get('/admin/programmes', async (req, res) => {
    await render(res, 200, emptyForm(), req.query.added);
  });

  router.post('/admin/programmes', async (req, res) => {
    const parsed = parseForm(ProgrammeForm, req.body, t(res));
    if (!parsed.ok) return render(res, 400, parsed.form);
    const id = randomUUID();
    await deps.programmes.save({ id, name: parsed.data.name, createdAt: new Date() });
    res.redirect(303, `/admin/programmes?added=${id}`);
  });

  return router;
}
