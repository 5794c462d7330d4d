import { Router } from 'express';
import { languageSwitchHandler } from '../i18n';
import type { UserRepository } from '../persistence/users.repository';
import { userOf } from './identity.middleware';

/** The language switch on every page: remembered in a cookie and, when signed in, on the account. */
export function languageRoutes(deps: { users: UserRepository; secureCookies: boolean }): Router {
  const router = Router();
  router.post(
    '/language',
    languageSwitchHandler({
      secureCookies: deps.secureCookies,
      onChange: async (_req, res, locale) => {
        const user = userOf(res);
        if (user) await deps.users.update(user.id, { locale, updatedAt: new Date() });
      },
    }),
  );
  return router;
}
