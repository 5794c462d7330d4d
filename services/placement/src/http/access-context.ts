import type { Request, Response } from 'express';
import { accessPurposeOf, callerOf } from '@sanad/service-kit';
import type { AccessContext } from '../application/ports';

/** Who asks, why (X-Access-Purpose, or the caller's default) and in which request: what is audited. */
export const accessContext = (req: Request, res: Response): AccessContext => {
  const caller = callerOf(res);
  return {
    caller,
    purpose: accessPurposeOf(req, caller),
    correlationId: res.locals.correlationId as string,
  };
};
