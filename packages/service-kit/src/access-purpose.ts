import type { Request } from 'express';
import { AuditPurpose } from '@sanad/audit';
import type { Caller } from '@sanad/auth';
import { parseOrThrow } from './validation';

/** Why the caller reads or changes personal data: one of the audit log's fixed purposes. */
export const ACCESS_PURPOSE_HEADER = 'x-access-purpose';

/** The purpose when the caller does not say: administration for admins, follow-up for the others. */
export const defaultAccessPurpose = (caller: Caller): AuditPurpose =>
  caller.role === 'admin' ? 'administration' : 'follow-up';

/**
 * The purpose of this request, for its audit record: the `X-Access-Purpose` header, which must be
 * one of the audit purposes (400 naming `headers.x-access-purpose` otherwise), or the default.
 */
export function accessPurposeOf(req: Request, caller: Caller): AuditPurpose {
  const given = req.header(ACCESS_PURPOSE_HEADER);
  if (given === undefined) return defaultAccessPurpose(caller);
  return parseOrThrow(AuditPurpose, given, `headers.${ACCESS_PURPOSE_HEADER}`);
}
