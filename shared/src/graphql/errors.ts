import { GraphQLError } from 'graphql';

/**
 * Every code the graph carries in extensions.code: the HTTP status it stands for when it refuses a
 * whole request, and whether a client sees its message intact (anything not public is masked).
 */
export const ERROR_CODES = {
  BAD_USER_INPUT: { status: 400, public: true },
  NOT_FOUND: { status: 404, public: true },
  FORBIDDEN: { status: 403, public: true },
  CONFLICT: { status: 409, public: true },
  DANGLING_REFERENCE: { status: 404, public: true },
  // An aggregate asked of figures that do not add up across countries (rates, ratios, indices).
  NOT_ADDITIVE: { status: 400, public: true },
  UNAUTHENTICATED: { status: 401, public: true },
  // Raised by GraphQL, Apollo Server or the gateway's planner about the request itself.
  GRAPHQL_PARSE_FAILED: { status: 400, public: true },
  GRAPHQL_VALIDATION_FAILED: { status: 400, public: true },
  BAD_REQUEST: { status: 400, public: true },
  // Apollo Server answers 200 so that clients retry with the full query.
  PERSISTED_QUERY_NOT_FOUND: { status: 200, public: true },
  OPERATION_RESOLUTION_FAILURE: { status: 400, public: true },
  DOWNSTREAM_SERVICE_ERROR: { status: 502, public: true },
  // A list longer than its declared bound, a request over a service's object budget, a request abandoned by its caller.
  LIST_BOUND_EXCEEDED: { status: 400, public: true },
  REQUEST_BUDGET_EXCEEDED: { status: 400, public: true },
  REQUEST_ABANDONED: { status: 400, public: true },
  SERVICE_UNAVAILABLE: { status: 503, public: true },
  INTERNAL_SERVER_ERROR: { status: 500, public: false },
} as const satisfies Record<string, { status: number; public: boolean }>;

/** Error codes the graph uses, carried in extensions.code. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Codes a client may see with their message intact; anything else is masked. */
export const PUBLIC_ERROR_CODES: ReadonlySet<string> = new Set(
  (Object.keys(ERROR_CODES) as ErrorCode[]).filter((code) => ERROR_CODES[code].public),
);

/** Whether a code (from another service's answer, say) is one whose message a client may see. */
export function isPublicErrorCode(code: string): code is ErrorCode {
  return PUBLIC_ERROR_CODES.has(code);
}

export interface GraphErrorOptions {
  /** Set extensions.http.status from the table: the error refuses the whole request, not one field. */
  refusesRequest?: boolean;
  /** The cause, for the log; never shown to the client. */
  originalError?: Error;
}

/** The one way to build an error with a code: extensions.code first, then any extra extensions. */
export function graphError(
  code: ErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
  options: GraphErrorOptions = {},
): GraphQLError {
  const http = options.refusesRequest ? { http: { status: ERROR_CODES[code].status } } : {};
  return new GraphQLError(message, { extensions: { code, ...extensions, ...http }, originalError: options.originalError });
}

export interface FieldProblem {
  field: string;
  message: string;
}

export function badUserInput(message: string, problems: FieldProblem[] = []): GraphQLError {
  return graphError('BAD_USER_INPUT', message, problems.length > 0 ? { problems } : {});
}

export function notFound(message: string): GraphQLError {
  return graphError('NOT_FOUND', message);
}

/**
 * A reference to a record that was deleted or never existed, such as another service's key stored
 * beside a record of this one: the field is null and this error says why, instead of a silent null.
 */
export function danglingReference(typename: string, rawKey: string): GraphQLError {
  // Keys come from stored rows or representations: bounded, so a broken one cannot bloat the answer.
  const key = rawKey.slice(0, 100);
  return graphError('DANGLING_REFERENCE', `${typename} "${key}" does not exist: it was deleted or never recorded`, {
    typename,
    key,
  });
}

/** The record an entity reference names, or DANGLING_REFERENCE when the look-up found none. */
export function existingRecord<T>(typename: string, key: string, record: T | null | undefined): T {
  if (record == null) throw danglingReference(typename, key);
  return record;
}

/** Seconds a client is told to wait before retrying when a service's database is unreachable. */
export const RETRY_AFTER_SECONDS = 5;

/**
 * The service cannot reach its database (down, restarting, out of connections): nothing is wrong
 * with the request, and the same request may succeed in a few seconds.
 */
export function serviceUnavailable(): GraphQLError {
  return graphError('SERVICE_UNAVAILABLE', `The service's database is unavailable: retry in ${RETRY_AFTER_SECONDS} seconds`, {
    retryable: true,
    retryAfterSeconds: RETRY_AFTER_SECONDS,
  });
}
