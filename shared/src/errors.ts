import { GraphQLError } from 'graphql';

/** Error codes the graph uses, carried in extensions.code. */
export type ErrorCode = 'BAD_USER_INPUT' | 'NOT_FOUND' | 'FORBIDDEN' | 'CONFLICT' | 'DANGLING_REFERENCE' | 'SERVICE_UNAVAILABLE' | 'INTERNAL_SERVER_ERROR';

export interface FieldProblem {
  field: string;
  message: string;
}

export function badUserInput(message: string, problems: FieldProblem[] = []): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'BAD_USER_INPUT', ...(problems.length > 0 ? { problems } : {}) },
  });
}

export function notFound(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'NOT_FOUND' } });
}

/**
 * A reference to a record that was deleted or never existed, such as another service's key stored
 * beside a record of this one: the field is null and this error says why, instead of a silent null.
 */
export function danglingReference(typename: string, rawKey: string): GraphQLError {
  // Keys come from stored rows or representations: bounded, so a broken one cannot bloat the answer.
  const key = rawKey.slice(0, 100);
  return new GraphQLError(`${typename} "${key}" does not exist: it was deleted or never recorded`, {
    extensions: { code: 'DANGLING_REFERENCE', typename, key },
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
  return new GraphQLError(`The service's database is unavailable: retry in ${RETRY_AFTER_SECONDS} seconds`, {
    extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true, retryAfterSeconds: RETRY_AFTER_SECONDS },
  });
}

/** Codes a client may see with their message intact; anything else is masked. */
export const PUBLIC_ERROR_CODES = new Set([
  'BAD_USER_INPUT', 'NOT_FOUND', 'FORBIDDEN', 'CONFLICT', 'DANGLING_REFERENCE', 'UNAUTHENTICATED',
  'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'PERSISTED_QUERY_NOT_FOUND',
  'OPERATION_RESOLUTION_FAILURE', 'DOWNSTREAM_SERVICE_ERROR',
  // A list longer than its declared bound, a request over a service's object budget, a request abandoned by its caller.
  'LIST_BOUND_EXCEEDED', 'REQUEST_BUDGET_EXCEEDED', 'REQUEST_ABANDONED',
  'SERVICE_UNAVAILABLE',
]);
