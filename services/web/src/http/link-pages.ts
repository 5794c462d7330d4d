import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { LinkRefusedError } from '../clients/link-client';

/**
 * What every page opened from a signed link in a mail shares (the employer's /e/ pages, the
 * participant's and supervisor's /c/ pages): the secret from the address, no referrer to any other
 * site, and a refused link turned into a page that says why (410), never an error page.
 */
export const SecretParam = z.object({ secret: z.string().regex(/^[\w-]{20,100}$/) });

/** The page's address holds a secret: no other site may learn it from a Referer. */
export const noReferrer: RequestHandler = (_req, res, next) => {
  res.setHeader('Referrer-Policy', 'no-referrer');
  next();
};

/** The secret in the address; a malformed one is a link to nothing. */
export function linkSecretOf(req: Request): string {
  const parsed = SecretParam.safeParse(req.params);
  if (!parsed.success) throw new LinkRefusedError('unknown');
  return parsed.data.secret;
}

/** The refused-link page: why the link cannot be used, with 410. */
export const renderRefused = (res: Response, error: LinkRefusedError) =>
  res.status(410).render('pages/link-refused', { reason: error.reason });

/**
 * A link page's handler, given the secret; a refused link at any step becomes `onRefused` (by
 * default the refused-link page).
 */
export const linkPage =
  (
    handler: (req: Request, res: Response, secret: string) => Promise<void>,
    onRefused: (req: Request, res: Response, error: LinkRefusedError) => void = (_req, res, e) =>
      renderRefused(res, e),
  ): RequestHandler =>
  async (req, res) => {
    try {
      await handler(req, res, linkSecretOf(req));
    } catch (error) {
      if (error instanceof LinkRefusedError) return onRefused(req, res, error);
      throw error;
    }
  };
