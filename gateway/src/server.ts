import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import { Supergraph } from '@apollo/federation-internals';
import type { ServiceName } from '../../shared/src/config';
import type { Logger } from '../../shared/src/logger';
import { maskError } from '../../shared/src/subgraph';
import { PUBLIC_ERROR_CODES } from '../../shared/src/errors';
import { GraphQLError } from 'graphql';

export interface GatewayOptions {
  supergraphSdl: string;
  serviceUrls: Record<ServiceName, string>;
  subgraphTimeoutMs: number;
  log: Logger;
}

/** Fails with a clear message when the supergraph file is not a valid supergraph. */
export function validateSupergraph(sdl: string): void {
  try {
    Supergraph.build(sdl);
  } catch (error) {
    throw new Error(`the supergraph is invalid: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Subgraph calls go through Node's fetch (keep-alive connection pool) with a per-call timeout,
 * which Apollo Gateway does not have by default. A refused, reset or timed-out call becomes an
 * error naming the service only: never its URL.
 */
function timedFetcher(service: string, timeoutMs: number): Fetcher {
  return (async (url: string, init?: RequestInit) => {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new GraphQLError(
        timedOut ? `The ${service} service did not answer within ${timeoutMs} ms` : `The ${service} service is unavailable`,
        { extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: service } },
      );
    }
  }) as unknown as Fetcher;
}

/**
 * A subgraph answers a request it rejects (an invalid Date literal, say) with HTTP 400 and GraphQL
 * errors. Pass those errors on as they are; anything else becomes a plain downstream error, without
 * the subgraph's URL or response body.
 */
class SubgraphDataSource extends RemoteGraphQLDataSource {
  constructor(private readonly service: string, url: string, fetcher: Fetcher) {
    super({ url, fetcher });
  }

  override async errorFromResponse(response: Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0]): Promise<GraphQLError> {
    const body = (await this.parseBody(response).catch(() => null)) as { errors?: { message?: unknown; extensions?: { code?: unknown } }[] } | null;
    const first = body?.errors?.[0];
    const code = typeof first?.extensions?.code === 'string' ? first.extensions.code : undefined;
    if (first && typeof first.message === 'string' && code && PUBLIC_ERROR_CODES.has(code)) {
      return new GraphQLError(first.message, { extensions: { code, serviceName: this.service } });
    }
    return new GraphQLError(`The ${this.service} service failed (HTTP ${response.status})`, {
      extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: this.service },
    });
  }
}

/** Builds the gateway server from a supergraph and the configured service URLs; no I/O. */
export function buildGateway(opts: GatewayOptions): { apollo: ApolloServer<BaseContext>; gateway: ApolloGateway } {
  validateSupergraph(opts.supergraphSdl);
  const gateway = new ApolloGateway({
    supergraphSdl: opts.supergraphSdl,
    buildService: ({ name, url }) => {
      const configured = opts.serviceUrls[name as ServiceName];
      return new SubgraphDataSource(name, configured ?? url ?? '', timedFetcher(name, opts.subgraphTimeoutMs));
    },
  });
  const apollo = new ApolloServer<BaseContext>({
    gateway,
    includeStacktraceInErrorResponses: false,
    formatError: maskError(opts.log),
    plugins: [ApolloServerPluginLandingPageDisabled()],
    csrfPrevention: true,
    // The process owns its shutdown order (HTTP first, then Apollo, then the database).
    stopOnTerminationSignals: false,
  });
  return { apollo, gateway };
}
