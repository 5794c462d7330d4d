import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { AppError, type FieldProblem } from '@sanad/errors';

/** Every zod issue as a dotted field path and a message; `at` prefixes the paths (`headers.x`). */
export function fieldProblems(error: z.ZodError, at = ''): FieldProblem[] {
  const join = (...parts: string[]) => parts.filter(Boolean).join('.');
  return error.issues.flatMap((issue) => {
    const path = join(at, issue.path.map(String).join('.'));
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: join(path, key), message: 'unknown field' }));
    }
    return [{ path: path || '(body)', message: issue.message }];
  });
}

/** Parses with zod or throws an AppError (answered 400) naming every wrong field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, at = ''): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw AppError.validation(fieldProblems(result.error, at));
  return result.data;
}

/** Replaces req.body with its parsed value, or answers 400 with the wrong fields. */
export const validateBody =
  (schema: z.ZodType): RequestHandler =>
  (req, _res, next) => {
    req.body = parseOrThrow(schema, req.body ?? {});
    next();
  };
