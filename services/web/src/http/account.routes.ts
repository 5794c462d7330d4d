import { Router, type Response } from 'express';
import type { Translate } from './forms';
import { requireUser } from './identity.middleware';

/** The user's own account: who they are, their language, sign-out everywhere. */
export function accountRoutes(): Router {
  const router = Router();
  router.get('/account', requireUser, (req, res: Response) => {
    res.render('pages/account', { title: (res.locals.t as Translate)('account.title') });
  });
  return router;
}
