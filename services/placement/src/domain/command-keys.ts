import { createHash } from 'node:crypto';
import { canonical } from './placement';

/**
 * The Idempotency-Keys of the changes made to a placement, each kept with a digest of the change it
 * made: the same key with the same change is a retry (answered as the first time, nothing done
 * again); the same key with another change is a mistake (409), never silently taken for a retry.
 */

/** What a placement keeps of a keyed change: `<key>|<digest of the kind and the command>`. */
export function keyedEntry(key: string, kind: string, command: unknown): string {
  const digest = createHash('sha256').update(canonical({ kind, command })).digest('base64url');
  return `${key}|${digest}`;
}

/** Whether the key was used before, and for this very change or another. */
export function priorUseOf(
  kept: readonly string[],
  entry: string,
): 'none' | 'same-change' | 'other-change' {
  if (kept.includes(entry)) return 'same-change';
  const key = entry.slice(0, entry.lastIndexOf('|') + 1);
  return kept.some((k) => k.startsWith(key)) ? 'other-change' : 'none';
}

/** Whether any change was made with this key (a link may be used again to repeat it). */
export const keyUsed = (kept: readonly string[], key: string): boolean =>
  kept.some((k) => k.startsWith(`${key}|`));
