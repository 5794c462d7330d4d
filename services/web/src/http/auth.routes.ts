import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { makeAcceptInvitation, makeCheckInvitation } from '../application/invitations';
import type { makeSignIn } from '../application/sign-in';
import { PASSWORD_MAX } from '../domain/password-policy';
import { localPath } from '../domain/safe-redirect';
import type { User } from '../domain/user';
import type { SessionStore } from '../identity/sessions';
import { isLocale, LANGUAGE_COOKIE, readCookie, setLanguageCookie } from '../i18n';
import type { UserRepository } from '../persistence/users.repository';
import { cookieOptions, SESSION_COOKIE } from './cookies';
import { emptyForm, parseForm, type Translate } from './forms';
import { signedIn, userOf } from './identity.middleware';

const SignInForm = z.object({
  email: z.string().trim().min(1, 'errors.emailRequired').max(254).pipe(z.email('errors.email')),
  password: z.string().min(1, 'errors.passwordRequired').max(PASSWORD_MAX),
  next: z.string().optional(),
});

const AcceptForm = z
  .object({
    password: z
      .string()
      .min(1, 'errors.passwordRequired')
      .max(PASSWORD_MAX, 'errors.passwordTooLong'),
    confirmPassword: z.string(),
    locale: z.enum(['ar', 'en'], 'errors.chooseLanguage'),
  })
  .refine((f) => f.password === f.confirmPassword, {
    path: ['confirmPassword'],
    message: 'errors.passwordsDiffer',
  });

export function authRoutes(deps: {
  signIn: ReturnType<typeof makeSignIn>;
  checkInvitation: ReturnType<typeof makeCheckInvitation>;
  acceptInvitation: ReturnType<typeof makeAcceptInvitation>;
  sessions: SessionStore;
  users: UserRepository;
  secureCookies: boolean;
  sessionMaxMs: number;
}): Router {
  const router = Router();
  const t = (res: Response) => res.locals.t as Translate;

  /**
   * A new session (a new id at every sign-in: no fixation). The language: at sign-in, the one
   * chosen on this device before, which becomes the account's, else the account's; on accepting an
   * invitation, the one just chosen in the form (already the account's).
   */
  const startSession = async (
    req: Request,
    res: Response,
    user: User,
    language: 'device-first' | 'account' = 'device-first',
  ) => {
    const previous = res.locals.sessionId as string | null;
    if (previous) await deps.sessions.destroy(previous);
    const id = await deps.sessions.create(user.id);
    res.cookie(SESSION_COOKIE, id, cookieOptions(deps.secureCookies, deps.sessionMaxMs));
    const chosen = readCookie(req.headers.cookie, LANGUAGE_COOKIE);
    if (language === 'device-first' && isLocale(chosen) && chosen !== user.locale) {
      await deps.users.update(user.id, { locale: chosen, updatedAt: new Date() });
    } else {
      setLanguageCookie(res, user.locale, deps.secureCookies);
    }
  };

  const renderSignIn = (res: Response, status: number, form = emptyForm(), extra: object = {}) =>
    res.status(status).render('pages/sign-in', { title: t(res)('signIn.title'), form, ...extra });

  router.get('/sign-in', (req, res) => {
    if (userOf(res)) return res.redirect(303, localPath(req.query.next));
    renderSignIn(res, 200, emptyForm({ next: localPath(req.query.next) }), {
      signedOutEverywhere: req.query.signedOut === 'everywhere',
    });
  });

  router.post('/sign-in', async (req, res) => {
    const parsed = parseForm(SignInForm, req.body, t(res));
    if (!parsed.ok) return renderSignIn(res, 400, parsed.form);
    const { email, password, next } = parsed.data;
    const result = await deps.signIn({ email, password, ip: req.ip ?? 'unknown' });
    if (result.ok) {
      await startSession(req, res, result.user);
      return res.redirect(303, localPath(next));
    }
    const values = { email, next };
    if (result.reason === 'locked') {
      const minutes = Math.ceil(result.retryAfterSeconds / 60);
      res.setHeader('Retry-After', String(result.retryAfterSeconds));
      return renderSignIn(res, 429, {
        values,
        errors: [{ field: 'email', message: t(res)('signIn.locked', { count: minutes }) }],
      });
    }
    renderSignIn(res, 401, {
      values,
      errors: [{ field: 'email', message: t(res)('signIn.invalid') }],
    });
  });

  router.post('/sign-out', async (_req, res) => {
    const sessionId = res.locals.sessionId as string | null;
    if (sessionId) await deps.sessions.destroy(sessionId);
    res.clearCookie(SESSION_COOKIE, cookieOptions(deps.secureCookies));
    res.redirect(303, '/sign-in');
  });

  router.post('/sign-out-everywhere', async (_req, res) => {
    const user = signedIn(res);
    await deps.sessions.destroyAllFor(user.id);
    res.clearCookie(SESSION_COOKIE, cookieOptions(deps.secureCookies));
    res.redirect(303, '/sign-in?signedOut=everywhere');
  });

  // An invitation: the invitee chooses a password and their language, then is signed in.
  const renderRefused = (res: Response, reason: string) =>
    res
      .status(410)
      .render('pages/link-refused', { title: t(res)(`linkRefused.${reason}.title`), reason });

  router.get('/invitations/:secret', async (req, res) => {
    const checked = await deps.checkInvitation(req.params.secret);
    if (!checked.ok) return renderRefused(res, checked.reason);
    res.render('pages/accept-invitation', {
      title: t(res)('invitation.title'),
      invitee: { displayName: checked.user.displayName, email: checked.user.email },
      form: emptyForm({ locale: checked.user.locale }),
    });
  });

  router.post('/invitations/:secret', async (req, res) => {
    const checked = await deps.checkInvitation(req.params.secret);
    if (!checked.ok) return renderRefused(res, checked.reason);
    const invitee = { displayName: checked.user.displayName, email: checked.user.email };
    const show = (status: number, form: ReturnType<typeof emptyForm>) =>
      res
        .status(status)
        .render('pages/accept-invitation', { title: t(res)('invitation.title'), invitee, form });
    const parsed = parseForm(AcceptForm, req.body, t(res));
    if (!parsed.ok) return show(400, parsed.form);
    const accepted = await deps.acceptInvitation(req.params.secret, parsed.data);
    if (accepted.ok) {
      await startSession(req, res, accepted.user, 'account');
      return res.redirect(303, '/');
    }
    if (accepted.reason === 'weak-password') {
      return show(400, {
        values: { locale: parsed.data.locale },
        errors: [
          {
            field: 'password',
            message: t(res)(`errors.password.${accepted.problem}`, { min: 12 }),
          },
        ],
      });
    }
    renderRefused(res, accepted.reason);
  });

  return router;
}
