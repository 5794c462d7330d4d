import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { AppError, type FieldProblem } from '@sanad/errors';

export function fieldProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return { path: [path, ...issue.keys].filter(Boolean).join('.'), message: 'unknown field' };
    }
    return { path: path || '(body)', message: issue.message };
  });
}

/** Parses with zod or throws a 400-bound AppError naming every wrong field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw AppError.validation(fieldProblems(result.error));
  return result.data;
}

/** Replaces req.body with its parsed value, or answers 400 with the wrong fields. */
export const validateBody =
  (schema: z.ZodType): RequestHandler =>
  (req, _res, next) => {
    req.body = parseOrThrow(schema, req.body ?? {});
    next();
  };
