import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import { Supergraph } from '@apollo/federation-internals';
import type { ServiceName } from '../../shared/src/config';
import type { Logger } from '../../shared/src/logger';
import { maskError } from '../../shared/src/subgraph';

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
 * which Apollo Gateway does not have by default.
 */
function timedFetcher(timeoutMs: number): Fetcher {
  return ((url: string, init?: RequestInit) => fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) })) as unknown as Fetcher;
}

/** Builds the gateway server from a supergraph and the configured service URLs; no I/O. */
export function buildGateway(opts: GatewayOptions): { apollo: ApolloServer<BaseContext>; gateway: ApolloGateway } {
  validateSupergraph(opts.supergraphSdl);
  const fetcher = timedFetcher(opts.subgraphTimeoutMs);
  const gateway = new ApolloGateway({
    supergraphSdl: opts.supergraphSdl,
    buildService: ({ name, url }) => {
      const configured = opts.serviceUrls[name as ServiceName];
      return new RemoteGraphQLDataSource({ url: configured ?? url, fetcher });
    },
  });
  const apollo = new ApolloServer<BaseContext>({
    gateway,
    includeStacktraceInErrorResponses: false,
    formatError: maskError(opts.log),
    plugins: [ApolloServerPluginLandingPageDisabled()],
    csrfPrevention: true,
  });
  return { apollo, gateway };
}
