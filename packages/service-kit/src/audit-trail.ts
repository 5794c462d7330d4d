import type { AuditAction, AuditEntry, AuditLog, AuditPurpose, AuditSubject } from '@sanad/audit';
import type { Caller } from '@sanad/auth';
import { AppError } from '@sanad/errors';
import type { Logger } from '@sanad/logger';

/** Who asks, why, and in which request: what an audit record says of an access. */
export interface AccessContext {
  caller: Caller;
  purpose: AuditPurpose;
  correlationId: string;
}

export interface AuditTrail {
  /** Records one access; fails (DEPENDENCY_UNAVAILABLE) rather than let it go unrecorded. */
  record(context: AccessContext, action: AuditAction, subject: AuditSubject): Promise<void>;
  /** Records what the holder of a signed link did (no user: the link is who acts). */
  recordLinkUse(action: AuditAction, subject: AuditSubject, correlationId: string): Promise<void>;
  /** Every record about these subjects, in seq order. */
  about(subjectIds: readonly string[]): Promise<AuditEntry[]>;
}

const PAGE = 1000;

/**
 * The use cases' audit trail on the service's audit log. A record that cannot be written fails the
 * request with DEPENDENCY_UNAVAILABLE (503): personal data is never answered without its record.
 * `linkPurpose` is why the holders of this service's signed links act (an employer's link:
 * employer-contact; a participant's check-in link: follow-up).
 */
export function createAuditTrail(
  log: AuditLog,
  logger: Logger,
  { linkPurpose }: { linkPurpose: AuditPurpose },
): AuditTrail {
  const moduleLog = logger.child({ module: 'audit-trail' });
  const write = async (entry: Parameters<AuditLog['record']>[0]) => {
    const { action, subject } = entry;
    try {
      await log.record(entry);
    } catch (error) {
      moduleLog.error({ err: error, action, subject }, 'audit record not written');
      throw new AppError(
        'DEPENDENCY_UNAVAILABLE',
        'the access could not be recorded in the audit log',
        { cause: error },
      );
    }
  };
  return {
    record: ({ caller, purpose, correlationId }, action, subject) =>
      write({
        actor: { userId: caller.userId, role: caller.role },
        action,
        subject,
        purpose,
        correlationId,
      }),
    recordLinkUse: (action, subject, correlationId) =>
      write({
        actor: { userId: null, role: 'signed-link' },
        action,
        subject,
        purpose: linkPurpose,
        correlationId,
      }),
    async about(subjectIds) {
      const entries: AuditEntry[] = [];
      for (const subjectId of new Set(subjectIds)) {
        for (let afterSeq = 0; ;) {
          const page = await log.list({ subjectId, afterSeq, limit: PAGE });
          entries.push(...page);
          const last = page.at(-1);
          if (!last || page.length < PAGE) break;
          afterSeq = last.seq;
        }
      }
      return entries.sort((a, b) => a.seq - b.seq);
    },
  };
}
