import type { Request } from 'express';
import { parseOrThrow } from '@sanad/service-kit';
import { IdempotencyKey } from './placements.schemas';

/** The request's `Idempotency-Key`, checked (400 naming the header); undefined when not sent. */
export const idempotencyKeyOf = (req: Request): string | undefined => {
  const header = req.header('idempotency-key');
  return header === undefined
    ? undefined
    : parseOrThrow(IdempotencyKey, header, 'headers.idempotency-key');
};
