import type { ConsentFlags, Respondent } from '@sanad/contracts';

export type SkipReason = 'no-consent';

/** What happens to a check-in when it falls due: it is asked, or skipped with a reason. */
export type DueDecision = { status: 'due' } | { status: 'skipped'; reason: SkipReason };

/**
 * Whether a check-in that falls due may be asked. The participant is asked only with their
 * follow-up consent, the employer's supervisor only with their employer-contact consent; the
 * coach's own check-in needs no consent. Consents not known (the placement service does not hold
 * the participant) leave every check-in asked, as before consents existed.
 */
export function decideDue(respondent: Respondent, consents: ConsentFlags | null): DueDecision {
  if (consents === null || respondent === 'coach') return { status: 'due' };
  const allowed = respondent === 'participant' ? consents.followUp : consents.employerContact;
  return allowed ? { status: 'due' } : { status: 'skipped', reason: 'no-consent' };
}
