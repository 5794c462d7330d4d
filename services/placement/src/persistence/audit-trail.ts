import type { AuditLog } from '@sanad/audit';
import type { Logger } from '@sanad/logger';
import { createAuditTrail as auditTrailOn } from '@sanad/service-kit';
import type { AuditTrail } from '../application/ports';

/**
 * The placement service's audit trail (see `createAuditTrail` in service-kit): the holder of an
 * employer's signed link acts for employer contact.
 */
export const createAuditTrail = (log: AuditLog, logger: Logger): AuditTrail =>
  auditTrailOn(log, logger, { linkPurpose: 'employer-contact' });
