import { z } from 'zod';
import { AppError } from '@sanad/errors';

/**
 * Where a page of a newest-first list ended: the last item's time and id. Opaque to callers
 * (base64url JSON), checked when it comes back, so a bad cursor is a 400, never a query error.
 */
const Cursor = z.object({ recordedAt: z.iso.datetime(), id: z.string().min(1).max(64) }).strict();
export type Cursor = z.infer<typeof Cursor>;

export const encodeCursor = ({ recordedAt, id }: Cursor): string =>
  Buffer.from(JSON.stringify({ recordedAt, id })).toString('base64url');

export function decodeCursor(cursor: string): Cursor {
  try {
    return Cursor.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw AppError.validation([{ path: 'query.cursor', message: 'not a cursor this list gave' }]);
  }
}
