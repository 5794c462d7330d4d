import type { Request } from 'express';
import { z } from 'zod';
import { parseOrThrow } from './validation';

/** A client's key that makes a retried write happen once. */
export const IdempotencyKey = z
  .string()
  .min(8, 'at least 8 characters')
  .max(128)
  .regex(/^[\w.:-]+$/, 'letters, digits and . _ : - only');

/** The request's `Idempotency-Key`, checked (400 naming the header); undefined when not sent. */
export const idempotencyKeyOf = (req: Request): string | undefined => {
  const header = req.header('idempotency-key');
  return header === undefined
    ? undefined
    : parseOrThrow(IdempotencyKey, header, 'headers.idempotency-key');
};

/** The secret of a signed link, sent in the `X-Link-Secret` header (never in a path). */
export const LinkSecret = z.string().regex(/^[\w-]{20,100}$/, 'the secret from the link');

/** The request's link secret, checked (400 naming the header when missing or malformed). */
export const linkSecretOf = (req: Request): string =>
  parseOrThrow(LinkSecret, req.header('x-link-secret'), 'headers.x-link-secret');
