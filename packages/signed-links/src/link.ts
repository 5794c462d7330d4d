import { createHash, randomBytes } from 'node:crypto';

/**
 * A signed link lets an employer or a participant act without an account: it is bound to one
 * placement and one purpose, expires, may be used a limited number of times, and can be revoked.
 * Only a hash of its secret is stored, so a copy of the database opens nothing.
 */
export type LinkPurpose =
  'confirm-placement' | 'report-change' | 'supervisor-checkin' | 'participant-checkin';

export interface LinkRecord {
  /** sha256 of the secret, hex: also the record's id. */
  hash: string;
  placementId: string;
  purpose: LinkPurpose;
  /** For check-in links: which check-in it answers. */
  subjectId: string | null;
  issuedAt: Date;
  expiresAt: Date;
  maxUses: number;
  revokedAt: Date | null;
}

export const hashSecret = (secret: string): string =>
  createHash('sha256').update(secret).digest('hex');

/** A new link: the secret to put in the URL (once) and the record to store. */
export function issueLink(
  request: {
    placementId: string;
    purpose: LinkPurpose;
    subjectId?: string | null;
    ttlDays: number;
    maxUses: number;
  },
  now: Date,
  secret: string = randomBytes(32).toString('base64url'),
): { secret: string; record: LinkRecord } {
  if (!Number.isInteger(request.maxUses) || request.maxUses < 1)
    throw new RangeError('maxUses must be 1 or more');
  if (!(request.ttlDays > 0)) throw new RangeError('ttlDays must be more than 0');
  return {
    secret,
    record: {
      hash: hashSecret(secret),
      placementId: request.placementId,
      purpose: request.purpose,
      subjectId: request.subjectId ?? null,
      issuedAt: now,
      expiresAt: new Date(now.getTime() + request.ttlDays * 86_400_000),
      maxUses: request.maxUses,
      revokedAt: null,
    },
  };
}

/** Why a link cannot be used; each gets its own clear page, never an error. */
export type LinkRefusal = 'unknown' | 'wrong-purpose' | 'revoked' | 'expired' | 'used-up';

/** Whether a stored link may be used now for this purpose (use counting aside). */
export function checkLink(
  record: LinkRecord | null,
  purpose: LinkPurpose,
  now: Date,
): { ok: true; record: LinkRecord } | { ok: false; refusal: LinkRefusal } {
  if (!record) return { ok: false, refusal: 'unknown' };
  if (record.purpose !== purpose) return { ok: false, refusal: 'wrong-purpose' };
  if (record.revokedAt) return { ok: false, refusal: 'revoked' };
  if (now.getTime() >= record.expiresAt.getTime()) return { ok: false, refusal: 'expired' };
  return { ok: true, record };
}
