import fs from 'node:fs';
import { defineConfig, type GatewayCLIConfig, type GatewayConfigSupergraph, type GatewayPlugin } from '@graphql-hive/gateway';
import { EnvelopArmor } from '@escape.tech/graphql-armor';
import { getOperationAST, GraphQLError } from 'graphql';
import { type Config, type ServiceName, SERVICE_NAMES } from '../../shared/src/runtime/config';
import { ANONYMOUS, type Identity } from '../../shared/src/auth/identity';
import { encodeIdentity, SIGNATURE_HEADERS, type ServiceSecrets, signatureHeaders } from '../../shared/src/auth/signing';
import { graphError, isPublicErrorCode } from '../../shared/src/graphql/errors';
import { type AuthOptions, authOptionsFromConfig, createAuthenticator, gatewayServiceSecrets, localJwtSecret } from './auth';
import { armorConfig, createRequestCheck, withoutSuggestions } from './limits';

/**
 * Hive Gateway as a production gateway for the committed supergraph, configured to behave as the
 * Apollo gateway of this project does: the same bearer-token verification (the same authenticator,
 * so the same 401s), every service call signed with the called service's secret, the same limits
 * (graphql-armor with the same settings, the parser's token cap, the same list, page, cost and
 * introspection checks), the same per-call timeout, and errors carrying the same codes.
 */
export interface HiveGatewayOptions {
  /** The supergraph file served; the CLI reloads it when it changes. */
  supergraphPath: string;
  /** Where each service listens (the supergraph's own URLs are not used). */
  serviceUrls: Record<ServiceName, string>;
  serviceSecrets: ServiceSecrets;
  auth: AuthOptions;
  limits: Config['limits'];
  /** Production: introspection for partners and above only, no field suggestions. */
  production: boolean;
  subgraphTimeoutMs: number;
  host: string;
  port: number;
  logLevel: Config['logLevel'];
}

/** The options from the project's configuration, checked as the Apollo gateway checks them. */
export function hiveGatewayOptions(config: Config): HiveGatewayOptions {
  return {
    supergraphPath: config.supergraphPath,
    serviceUrls: config.serviceUrls,
    serviceSecrets: gatewayServiceSecrets(config),
    auth: authOptionsFromConfig(config, localJwtSecret(config)),
    limits: config.limits,
    production: config.nodeEnv === 'production',
    subgraphTimeoutMs: config.subgraphTimeoutMs,
    host: config.host,
    port: config.ports.gateway,
    logLevel: config.logLevel,
  };
}

const GRAPHQL_PATH = '/graphql';

/** Any plugin the CLI's configuration takes: Hive's own, Yoga's or envelop's. */
type HivePlugin = ReturnType<NonNullable<GatewayConfigSupergraph['plugins']>>[number];

function errorResponse(error: GraphQLError, status: number): Response {
  return new Response(JSON.stringify({ errors: [{ message: error.message, extensions: { code: error.extensions.code } }] }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
}

/**
 * The bearer token is verified before anything is parsed, as the Apollo gateway's context function
 * does: a refused token ends the request with 401 whatever the document.
 */
function authentication(authenticate: (authorization: string | undefined) => Promise<Identity>): GatewayPlugin {
  const identities = new WeakMap<Request, Identity>();
  return {
    async onRequest({ request, url, endResponse }) {
      if (url.pathname !== GRAPHQL_PATH) return;
      try {
        identities.set(request, await authenticate(request.headers.get('authorization') ?? undefined));
      } catch (error) {
        if (!(error instanceof GraphQLError)) throw error;
        endResponse(errorResponse(error, 401));
      }
    },
    onContextBuilding({ context, extendContext }) {
      extendContext({ identity: identities.get(context.request) ?? ANONYMOUS });
    },
  };
}

/**
 * Each service call carries the caller's identity, signed with the called service's secret over the
 * exact body sent; a call to a URL that is not one of the services' stays unsigned (and is refused).
 */
function signing(serviceUrls: Record<ServiceName, string>, secrets: ServiceSecrets): GatewayPlugin {
  const serviceByUrl = new Map<string, ServiceName>(SERVICE_NAMES.map((name) => [serviceUrls[name], name]));
  return {
    onFetch({ url, options, setOptions, context }) {
      const service = serviceByUrl.get(url);
      if (!service || typeof options.body !== 'string') return;
      const identity = 'identity' in context ? (context.identity as Identity) : ANONYMOUS;
      const headers = new Headers(options.headers as HeadersInit | undefined);
      // Nothing that looks like a signature is passed on from elsewhere.
      for (const name of Object.values(SIGNATURE_HEADERS)) headers.delete(name);
      for (const [name, value] of Object.entries(
        signatureHeaders(secrets[service], service, encodeIdentity(identity), options.body),
      )) {
        headers.set(name, value);
      }
      setOptions({ ...options, headers: Object.fromEntries(headers) });
    },
  };
}

/**
 * The limits the Apollo gateway applies, in Hive's (envelop's) hooks: graphql-armor with the same
 * settings, graphql-js's token cap at parsing, then the list, page, cost and introspection checks
 * once the operation is known; in production, no "Did you mean" suggestions. Parse and validation
 * errors carry the codes Apollo Server gives them.
 */
function limits(opts: HiveGatewayOptions, supergraphSdl: () => string): HivePlugin[] {
  const check = createRequestCheck(opts.limits, opts.production, supergraphSdl);
  const guard: GatewayPlugin = {
    onParse({ parseFn, setParseFn }) {
      setParseFn((source, options) => {
        try {
          return parseFn(source, { ...options, maxTokens: opts.limits.maxTokens });
        } catch (error) {
          if (!(error instanceof GraphQLError)) throw error;
          throw graphError('GRAPHQL_PARSE_FAILED', error.message, {}, { refusesRequest: true });
        }
      });
    },
    onValidate() {
      return ({ result, setResult }) => {
        if (result.length === 0) return;
        setResult(
          result.map((error) =>
            error.extensions.code === undefined
              ? graphError('GRAPHQL_VALIDATION_FAILED', opts.production ? withoutSuggestions(error.message) : error.message, {
                  ...error.extensions,
                })
              : error,
          ),
        );
      };
    },
    onExecute({ args, setResultAndStopExecution }) {
      try {
        check({
          document: args.document,
          operation: getOperationAST(args.document, args.operationName),
          variables: args.variableValues ?? {},
          schema: args.schema,
          identity: (args.contextValue as { identity?: Identity }).identity,
        });
      } catch (error) {
        if (!(error instanceof GraphQLError)) throw error;
        setResultAndStopExecution({ errors: [error] });
      }
    },
  };
  return [...new EnvelopArmor(armorConfig(opts.limits)).protect().plugins, guard];
}

/**
 * Errors a client sees: those with a public code as they are; GraphQL's own about the request as
 * BAD_REQUEST; anything else as an internal error without its message or stack.
 */
function maskError(error: unknown): Error {
  if (error instanceof GraphQLError) {
    const code = error.extensions.code;
    if (typeof code === 'string' && isPublicErrorCode(code)) return error;
    if (code === undefined && error.originalError == null) {
      return graphError('BAD_REQUEST', error.message);
    }
    const original = error.originalError;
    if (
      original instanceof GraphQLError &&
      typeof original.extensions.code === 'string' &&
      isPublicErrorCode(original.extensions.code)
    ) {
      return new GraphQLError(original.message, { path: error.path, nodes: error.nodes, extensions: original.extensions });
    }
    return new GraphQLError('Internal server error', {
      path: error.path,
      nodes: error.nodes,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  }
  return graphError('INTERNAL_SERVER_ERROR', 'Internal server error');
}

/**
 * Hive Gateway's runtime configuration (what `createGatewayRuntime` takes): everything but where to
 * listen, which the CLI's configuration adds.
 */
export function hiveGatewayRuntimeConfig(opts: HiveGatewayOptions): GatewayConfigSupergraph {
  const authenticate = createAuthenticator(opts.auth);
  // The cost analysis reads the `@listSize` bounds from the supergraph file, read again when Hive reloads it.
  let currentSdl = fs.readFileSync(opts.supergraphPath, 'utf8');
  return {
    supergraph: opts.supergraphPath,
    graphqlEndpoint: GRAPHQL_PATH,
    // Each service at its configured URL, whatever the supergraph file says.
    transportEntries: Object.fromEntries(SERVICE_NAMES.map((name) => [name, { location: opts.serviceUrls[name] }])),
    upstreamTimeout: opts.subgraphTimeoutMs,
    logging: opts.logLevel === 'silent' ? false : opts.logLevel,
    landingPage: false,
    graphiql: false,
    // Apollo Server's CSRF prevention: a GET or a simple POST needs a header no browser form sends.
    csrfPrevention: { requestHeaders: ['x-apollo-operation-name', 'apollo-require-preflight'] },
    maskedErrors: { maskError },
    plugins: () => [
      authentication(authenticate),
      signing(opts.serviceUrls, opts.serviceSecrets),
      {
        onSchemaChange() {
          currentSdl = fs.readFileSync(opts.supergraphPath, 'utf8');
        },
      },
      ...limits(opts, () => currentSdl),
    ],
  };
}

/** The Hive Gateway CLI's configuration (`hive-gateway supergraph --config-path ...`): the runtime's, on HOST and GATEWAY_PORT. */
export function hiveGatewayConfig(opts: HiveGatewayOptions): GatewayCLIConfig {
  return defineConfig({ ...hiveGatewayRuntimeConfig(opts), host: opts.host, port: opts.port });
}
