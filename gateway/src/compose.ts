// Composes the four subgraph schemas into gateway/supergraph.graphql with @apollo/composition.
// `npm run compose` writes the file; `npm run compose -- --check` fails when it is stale.
import fs from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { buildASTSchema, GraphQLSchema, parse, specifiedDirectives, visit } from 'graphql';
import { DEFAULT_PORTS, PROJECT_ROOT, SERVICE_NAMES } from '../../shared/src/runtime/config';
import { serviceSdl } from '../../shared/src/graphql/subgraph';

export const SUPERGRAPH_FILE = path.join(PROJECT_ROOT, 'gateway', 'supergraph.graphql');

/** Composes the committed schemas; throws with every composition error listed. */
export function composeSupergraph(): string {
  const result = composeServices(
    SERVICE_NAMES.map((name) => ({
      name,
      // The URL recorded in the supergraph is the local default; the gateway (and Apollo Router,
      // with its override_subgraph_url) take the real URLs from configuration.
      url: `http://127.0.0.1:${DEFAULT_PORTS[name]}/graphql`,
      typeDefs: parse(serviceSdl(path.join(PROJECT_ROOT, 'services', name, 'schema.graphql'))),
    })),
  );
  if (result.errors) {
    throw new Error(`composition failed:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}`);
  }
  return result.supergraphSdl;
}

/**
 * What clients see of a supergraph: its types and fields without federation's machinery (the
 * join__ and link__ types, and every directive but GraphQL's own: @join__*, @link, @listSize,
 * @cost). Read with graphql-js from the SDL. An element marked @inaccessible would have to be
 * hidden as well, which this reading does not do: such a supergraph is refused instead.
 */
export function apiSchemaOf(supergraphSdl: string): GraphQLSchema {
  const document = parse(supergraphSdl);
  visit(document, {
    Directive(node) {
      if (node.name.value === 'inaccessible')
        throw new Error('the supergraph marks elements @inaccessible: hide them before reading its API schema');
    },
  });
  const config = buildASTSchema(document, { assumeValidSDL: true }).toConfig();
  return new GraphQLSchema({
    ...config,
    types: config.types.filter((type) => !/^(join__|link__)/.test(type.name)),
    directives: specifiedDirectives,
    astNode: undefined,
    extensionASTNodes: [],
  });
}

function main(): void {
  const check = process.argv.includes('--check');
  const sdl = composeSupergraph();
  const current = fs.existsSync(SUPERGRAPH_FILE) ? fs.readFileSync(SUPERGRAPH_FILE, 'utf8') : '';
  if (check) {
    if (current !== sdl) {
      process.stderr.write('gateway/supergraph.graphql is stale: run "npm run compose"\n');
      process.exit(1);
    }
    process.stdout.write('gateway/supergraph.graphql is up to date\n');
    return;
  }
  fs.writeFileSync(SUPERGRAPH_FILE, sdl);
  process.stdout.write(`wrote gateway/supergraph.graphql (${sdl.length} bytes)\n`);
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
