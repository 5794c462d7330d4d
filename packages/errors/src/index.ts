/**
 * What went wrong, in the domain's words. Only a service's HTTP error handler turns a code into a
 * status; domain and application code never speak HTTP.
 */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'STALE_VERSION'
  | 'FORBIDDEN'
  | 'UNAUTHENTICATED'
  | 'DEPENDENCY_UNAVAILABLE'
  /** A signed link that cannot be used (unknown, revoked, expired, used): `details.reason`. */
  | 'LINK_REFUSED';

export interface FieldProblem {
  /** Dotted path of the wrong field, such as `wage.currency`. */
  path: string;
  message: string;
  /** A stable name of the rule broken (`start-date-window`), for clients to word it themselves. */
  code?: string;
  /** The rule's figures (`{ from, to }`), for the wording. */
  params?: Record<string, string | number>;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options.details ?? {};
  }

  static notFound(what: string): AppError {
    return new AppError('NOT_FOUND', `${what} not found`);
  }

  static conflict(message: string, details?: Record<string, unknown>): AppError {
    return new AppError('CONFLICT', message, { details });
  }

  static validation(problems: FieldProblem[]): AppError {
    return new AppError('VALIDATION_FAILED', 'some fields are wrong', { details: { problems } });
  }
}
