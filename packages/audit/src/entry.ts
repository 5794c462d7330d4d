import { z } from 'zod';

/**
 * One audit record says who read or changed a person's data, what kind of thing happened, to which
 * record and why: ids and fixed words only. It never holds the data itself (no names, emails,
 * phone numbers, field values), so every object is strict and every free text is a narrow pattern:
 * an unknown field such as `participantName` is refused, not stored.
 */

/** Who acts: the roles of `@sanad/auth`, plus a holder of a signed link and the system itself. */
export const AuditRole = z.enum([
  'admin',
  'programme-manager',
  'coach',
  'employer-user',
  'signed-link',
  'system',
]);
export type AuditRole = z.infer<typeof AuditRole>;

/** Roles that are always a signed-in person: their entries must name the user id. */
const PERSON_ROLES: readonly AuditRole[] = ['admin', 'programme-manager', 'coach', 'employer-user'];

export const AuditAction = z.enum([
  /** Personal data was shown or returned (a page, an API response). */
  'read',
  'create',
  'update',
  /** Personal data left the system (a download, a report with rows per person). */
  'export',
  /** Personal data was erased or anonymised. */
  'erase',
  /** A consent was given, withdrawn or changed. */
  'consent-change',
  'sign-in',
  /** Someone asked for personal data and was refused. */
  'access-denied',
]);
export type AuditAction = z.infer<typeof AuditAction>;

export const AuditSubjectType = z.enum([
  'participant',
  'placement',
  'check-in',
  'alert',
  'employer',
  'user',
]);
export type AuditSubjectType = z.infer<typeof AuditSubjectType>;

/** Why: a fixed list, so that a purpose cannot carry free text. */
export const AuditPurpose = z.enum([
  'follow-up',
  'employer-contact',
  'reporting',
  'administration',
  'support',
  'data-subject-request',
  'security',
]);
export type AuditPurpose = z.infer<typeof AuditPurpose>;

/** sha256, lower-case hex. */
export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 in lower-case hex');

/** The `prevHash` of the first record. */
export const GENESIS_HASH = '0'.repeat(64);

export const AuditActor = z.strictObject({
  userId: z.uuid().nullable(),
  role: AuditRole,
});
export type AuditActor = z.infer<typeof AuditActor>;

export const AuditSubject = z.strictObject({
  type: AuditSubjectType,
  id: z.uuid(),
});
export type AuditSubject = z.infer<typeof AuditSubject>;

/** The same shape as the correlation ids that `@sanad/service-kit` accepts. */
const CorrelationId = z.string().regex(/^[\w.-]{1,128}$/, 'letters, digits, _ . - (1 to 128)');

export const AuditServiceName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,39}$/, 'a service name: lower-case letters, digits and dashes');

/** A person acting must be named by id; a signed link or the system may act without one. */
const missingUserId = (actor: AuditActor) =>
  actor.userId === null && PERSON_ROLES.includes(actor.role)
    ? {
        code: 'custom' as const,
        path: ['actor', 'userId'],
        message: `a ${actor.role} is a signed-in person: userId is required`,
      }
    : null;

/** What a caller gives `record`: the log adds seq, at, service and the hashes. */
export const AuditInput = z
  .strictObject({
    actor: AuditActor,
    action: AuditAction,
    subject: AuditSubject,
    purpose: AuditPurpose,
    correlationId: CorrelationId.nullish(),
  })
  .superRefine((input, ctx) => {
    const issue = missingUserId(input.actor);
    if (issue) ctx.addIssue(issue);
  });
export type AuditInput = z.input<typeof AuditInput>;

/** A stored record. `seq` is the record's `_id` in the database, so no two records share one. */
export const AuditEntry = z
  .strictObject({
    seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    at: z.date(),
    service: AuditServiceName,
    actor: AuditActor,
    action: AuditAction,
    subject: AuditSubject,
    purpose: AuditPurpose,
    correlationId: CorrelationId.nullable(),
    prevHash: Sha256Hex,
    hash: Sha256Hex,
  })
  .superRefine((entry, ctx) => {
    const issue = missingUserId(entry.actor);
    if (issue) ctx.addIssue(issue);
  });
export type AuditEntry = z.infer<typeof AuditEntry>;

/** One wrong field: its dotted path and what is wrong with it. */
export interface AuditFieldProblem {
  path: string;
  message: string;
}

/** Turns zod issues into one problem per field, unknown fields named one by one. */
export function fieldProblems(error: z.ZodError): AuditFieldProblem[] {
  return error.issues.flatMap((issue): AuditFieldProblem[] => {
    const at = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: [...at, key].join('.'),
        message: 'unknown field (audit records hold ids and fixed words only)',
      }));
    }
    return [{ path: at.join('.') || '(root)', message: issue.message }];
  });
}

/** What a caller gave was refused; the error names every wrong field. Nothing was stored. */
export class AuditInputError extends Error {
  constructor(
    readonly problems: AuditFieldProblem[],
    what = 'audit record',
  ) {
    super(`${what} refused: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    this.name = 'AuditInputError';
  }
}
