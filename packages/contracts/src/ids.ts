import { createHash } from 'node:crypto';

/**
 * A UUID (version 8, name-based) made from a name: the same name always gives the same id. Used
 * wherever something must be created once however often it is asked for (a check-in per
 * placement, milestone and respondent; a placement per idempotency key).
 */
export function deterministicUuid(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
