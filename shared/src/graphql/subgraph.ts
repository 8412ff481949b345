import fs from 'node:fs';
import path from 'node:path';
import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import {
  concatAST,
  type DocumentNode,
  GraphQLError,
  type GraphQLFormattedError,
  type GraphQLSchema,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  Kind,
  parse,
  valueFromAST,
} from 'graphql';
import { COUNTRIES, type CountryRef } from '../reference/countries';
import { danglingReference, PUBLIC_ERROR_CODES, RETRY_AFTER_SECONDS, serviceUnavailable } from './errors';
import { apolloLogger, describeError, type Logger } from '../runtime/logger';
import { recordRequest } from './requestRecord';
import { currentRequest } from '../runtime/requestContext';
import { DateScalar, PartialDateScalar } from './scalars';
import { listBounds } from './listBounds';
import { guardResolvers } from './requestBudget';
import { isolateEntities } from './entities';
import { toProvenance, type ProvenanceColumns } from '../reference/provenance';
import { PROJECT_ROOT } from '../runtime/config';
import { AuditAction, Confidence, Language } from './enums';

const COMMON_SDL = fs.readFileSync(path.join(PROJECT_ROOT, 'shared', 'schema', 'common.graphql'), 'utf8');

/** The full SDL a service serves: the shared common types and the service's own schema.graphql. */
export function serviceSdl(schemaFile: string): string {
  return `${fs.readFileSync(schemaFile, 'utf8')}\n${COMMON_SDL}`;
}

/** What a service holds of a country: its key; the rest comes from the shared reference list. */
export interface CountryKey {
  code: string;
}

type CountryParent = CountryKey & Partial<CountryRef>;

function ref(parent: CountryParent): CountryRef | null {
  return COUNTRIES.get(parent.code) ?? null;
}

/**
 * What a field pointing at a country returns: the key for a code of the reference list, otherwise a
 * DANGLING_REFERENCE error (the field is null, its siblings unaffected). Null stays null.
 */
export function countryReference(code: string): { code: string };
export function countryReference(code: string | null): { code: string } | null;
export function countryReference(code: string | null): { code: string } | null {
  if (code === null) return null;
  if (!COUNTRIES.has(code)) throw danglingReference('Country', code);
  return { code };
}

/** A list of country references: an unknown code becomes a null item with its own error, not a failed list. */
export function countryReferences(codes: readonly string[]): ({ code: string } | GraphQLError)[] {
  return codes.map((code) => (COUNTRIES.has(code) ? { code } : danglingReference('Country', code)));
}

/** Resolvers of the shared types; a service merges its own over them. */
export const commonResolvers = {
  Date: DateScalar,
  PartialDate: PartialDateScalar,
  Confidence,
  Language,
  AuditAction,
  Country: {
    // A code not in the reference list is a dangling reference: an error says so, not a silent null.
    // Async, so the error fails only this representation: a synchronous throw fails the whole batch.
    __resolveReference: async (representation: { code: string }) => countryReference(representation.code),
    iso2: (c: CountryParent) => ref(c)?.iso2 ?? null,
    m49: (c: CountryParent) => ref(c)?.m49 ?? null,
    name: (c: CountryParent, args: { lang?: Language }) => {
      const country = ref(c);
      if (!country) return c.code;
      return args.lang === Language.FR ? (country.nameFr ?? country.name) : country.name;
    },
    nameLanguages: (c: CountryParent) => (ref(c)?.nameFr != null ? [Language.EN, Language.FR] : [Language.EN]),
    region: (c: CountryParent) => ref(c)?.region ?? null,
    subregion: (c: CountryParent) => ref(c)?.subregion ?? null,
    intermediateRegion: (c: CountryParent) => ref(c)?.intermediateRegion ?? null,
    isoCode: (c: CountryParent) => ref(c)?.isoCode ?? false,
  },
};

/** The `provenance` field of any entity stored with source, confidence and notes columns. */
export const provenanceField = (row: ProvenanceColumns) => toProvenance(row);

/** What `buildSubgraphSchema` takes: schema modules, each its type definitions and resolvers. */
type SubgraphModule = Extract<Parameters<typeof buildSubgraphSchema>[0], readonly unknown[]>[number];
/** A service's resolver map, as `buildSubgraphSchema` takes it (each service types its own with its generated `Resolvers`). */
export type ServiceResolvers = NonNullable<Extract<SubgraphModule, { resolvers?: unknown }>['resolvers']>;

const COMMON_TYPE_DEFS = parse(COMMON_SDL);

/**
 * Defaults of arguments and input fields are read from the SDL before the resolver maps give enums
 * their stored values: read them again, so that a defaulted enum argument arrives stored like a given one.
 */
function storedEnumDefaults(schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    const fields =
      isObjectType(type) || isInterfaceType(type)
        ? Object.values(type.getFields()).flatMap((f) => f.args)
        : isInputObjectType(type)
          ? Object.values(type.getFields())
          : [];
    for (const input of fields) {
      if (input.astNode?.defaultValue) input.defaultValue = valueFromAST(input.astNode.defaultValue, input.type);
    }
  }
}

// A module of resolvers only: its fields are declared by the modules with type definitions.
const NO_TYPE_DEFS: DocumentNode = { kind: Kind.DOCUMENT, definitions: [] };

/**
 * The subgraph of one service: the common types and their resolvers, then the service's schema and
 * resolver map (a later map given after it overrides the fields it names, as tests do).
 */
export function buildServiceSchema(schemaFile: string, resolvers: ServiceResolvers | readonly ServiceResolvers[]): GraphQLSchema {
  const serviceTypeDefs = parse(fs.readFileSync(schemaFile, 'utf8'));
  const [first, ...rest] = Array.isArray(resolvers) ? resolvers : [resolvers];
  const schema = buildSubgraphSchema([
    { typeDefs: COMMON_TYPE_DEFS, resolvers: commonResolvers },
    { typeDefs: serviceTypeDefs, resolvers: first },
    ...rest.map((more) => ({ typeDefs: NO_TYPE_DEFS, resolvers: more })),
  ]);
  storedEnumDefaults(schema);
  const typeDefs = concatAST([serviceTypeDefs, COMMON_TYPE_DEFS]);
  // Each request's objects are counted and its declared list bounds enforced, whatever the gateway estimated.
  // A malformed representation fails alone, at its index, instead of the whole _entities batch.
  return guardResolvers(isolateEntities(schema, typeDefs), listBounds(typeDefs));
}

// SQLSTATE classes and codes that say the server cannot be reached or is going away: connection
// exceptions (08), shutdown, crash, still starting (57P01-57P03), out of connection slots (53300).
const UNAVAILABLE_SQLSTATE = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;
const UNAVAILABLE_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);
// What node-postgres and its pool throw without a code when a connection ends or cannot be made in time.
const UNAVAILABLE_MESSAGE =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

/** True when an error (or one of its causes) says the database cannot be reached, rather than that a query is wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
  let e = error;
  for (let depth = 0; e != null && typeof e === 'object' && depth < 6; depth += 1) {
    const { code, message, errors } = e as { code?: unknown; message?: unknown; errors?: unknown };
    if (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_ERRNO.has(code))) return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message)) return true;
    // A host with several addresses fails with an AggregateError of one refusal per address.
    if (Array.isArray(errors) && errors.length > 0 && errors.every(isDatabaseUnavailable)) return true;
    // graphql-js wraps a thrown value that is not an Error of its realm (a test's VM context) as thrownValue.
    const next = e as { originalError?: unknown; driverError?: unknown; cause?: unknown; thrownValue?: unknown };
    e = next.originalError ?? next.thrownValue ?? next.driverError ?? next.cause;
  }
  return false;
}

// Failures of another process seen by this one: the gateway's calls to services, a service's database.
const DOWNSTREAM_CODES = new Set(['DOWNSTREAM_SERVICE_ERROR', 'SERVICE_UNAVAILABLE']);

/**
 * Keeps the messages of errors meant for clients (bad input, not found...) and masks the rest:
 * no stack trace, no SQL, no internal message ever reaches a response. What is masked, and every
 * downstream failure, is logged with its cause chain; a masked error carries the request's id.
 */
export function maskError(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = String(formatted.extensions?.code ?? '');
    const original = (error as { originalError?: unknown })?.originalError ?? error;
    const service = typeof formatted.extensions?.serviceName === 'string' ? { service: formatted.extensions.serviceName } : {};
    if (DOWNSTREAM_CODES.has(code))
      log.warn('downstream failure', { ...service, path: formatted.path, error: describeError(error) });
    if (PUBLIC_ERROR_CODES.has(code)) {
      const { stacktrace: _s, exception: _e, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
      return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions };
    }
    // Raised by GraphQL or Apollo Server about the request itself, not thrown by a resolver ("provided
    // sha does not match query", "Schema is not configured to execute mutation operation"): the
    // client's mistake, with a message safe to show.
    if (error instanceof GraphQLError && error.originalError == null) {
      return { message: formatted.message, locations: formatted.locations, extensions: { code: 'BAD_REQUEST' } };
    }
    // A PostgreSQL data exception (SQLSTATE class 22: a NUL character, a value out of range...) comes
    // from a value the request carried.
    const sqlState = (original as { driverError?: { code?: unknown } } | null)?.driverError?.code;
    if (typeof sqlState === 'string' && sqlState.startsWith('22')) {
      return {
        message: 'A value in the request cannot be used',
        path: formatted.path,
        locations: formatted.locations,
        extensions: { code: 'BAD_USER_INPUT' },
      };
    }
    if (isDatabaseUnavailable(original)) {
      log.warn('database unavailable', { path: formatted.path, error: describeError(original) });
      const { message, extensions } = serviceUnavailable();
      return { message, path: formatted.path, locations: formatted.locations, extensions };
    }
    log.error('resolver failed', { ...service, path: formatted.path, error: describeError(original) });
    // The request id is what the client can quote to find this line in the logs.
    const request = currentRequest();
    return {
      message: 'Internal server error',
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: 'INTERNAL_SERVER_ERROR', ...(request ? { requestId: request.id } : {}) },
    };
  };
}

/**
 * What Apollo Server's cache-control plugin answers for every subgraph response: no schema declares
 * @cacheControl and no resolver sets a hint, so the policy is never cacheable and the header is
 * always `no-store` (which the gateway reads as max-age 0, the same as no header). The plugin itself
 * is off: its willResolveField hook makes Apollo Server wrap every field resolver and compute a cache
 * policy for every field of every object of a response, which doubled the execution time of a large
 * list (2,100 indicator values: about 5 ms of 10).
 */
const noStore: ApolloServerPlugin<BaseContext> = {
  requestDidStart: async () => ({
    willSendResponse: async ({ response }) => {
      response.http.headers.set('cache-control', 'no-store');
    },
  }),
};

/**
 * HTTP 503 with Retry-After when nothing could be answered because a database (or, at the gateway,
 * a service's database) is unavailable: the status every HTTP client and proxy knows to retry on.
 * A partial answer keeps its 200: the fields that could be answered are worth having.
 */
export const unavailableStatus: ApolloServerPlugin<BaseContext> = {
  requestDidStart: async () => ({
    willSendResponse: async ({ response }) => {
      if (response.body.kind !== 'single') return;
      const { data, errors } = response.body.singleResult;
      if (!errors || errors.length === 0 || !errors.every((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE')) return;
      if (data && Object.values(data).some((value) => value !== null)) return;
      response.http.status = 503;
      response.http.headers.set('retry-after', String(RETRY_AFTER_SECONDS));
    },
  }),
};

export function createSubgraphServer<TContext extends BaseContext>(opts: {
  schema: GraphQLSchema;
  log: Logger;
  plugins?: ApolloServerPlugin<TContext>[];
}): ApolloServer<TContext> {
  return new ApolloServer<TContext>({
    schema: opts.schema,
    logger: apolloLogger(opts.log),
    includeStacktraceInErrorResponses: false,
    formatError: maskError(opts.log),
    plugins: [
      recordRequest,
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      noStore,
      unavailableStatus,
      ...(opts.plugins ?? []),
    ],
    csrfPrevention: true,
    // The process owns its shutdown order (HTTP first, then Apollo, then the database).
    stopOnTerminationSignals: false,
  });
}
