import path from 'node:path';
import type { ApolloServer } from '@apollo/server';
import type { Logger } from '../../../shared/src/logger';
import { buildServiceSchema, createSubgraphServer } from '../../../shared/src/subgraph';
import type { Context } from './context';
import { resolvers } from './resolvers';

export const SCHEMA_FILE = path.resolve(__dirname, '..', 'schema.graphql');

/** Builds the subgraph server from its schema and resolvers; no I/O. */
export function buildServer(log: Logger): ApolloServer<Context> {
  return createSubgraphServer<Context>({ schema: buildServiceSchema(SCHEMA_FILE, resolvers), log });
}
