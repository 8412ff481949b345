/**
 * `npm run codegen` writes, for clients, TypeScript types and typed documents (for Apollo Client
 * and any TypedDocumentNode client) for every operation of `operations/`, checked against the API
 * schema of the committed supergraph, which it also prints to clients/generated/schema.graphql for
 * editors and other code generators; Apollo Client's type policies (clients/generated/typePolicies.ts)
 * from the supergraph's @key directives; and, for each service, the types its resolver map is checked
 * against (services/<name>/src/generated/resolvers.ts), from its schema.graphql and the common types.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CodegenConfig } from '@graphql-codegen/cli';
import type { Types } from '@graphql-codegen/plugin-helpers';
import { printSchema } from 'graphql';
import { apiSchemaOf } from './gateway/src/compose';
import { typePoliciesModule } from './gateway/src/typePolicies';

const supergraph = fs.readFileSync(path.join(__dirname, 'gateway', 'supergraph.graphql'), 'utf8');
/** What clients see: the supergraph without its federation machinery (join__, link__ and the like). */
const apiSchema = printSchema(apiSchemaOf(supergraph));

const SCALARS = { Date: 'string', PartialDate: 'string', ID: 'string' };
const COMMON_SDL = fs.readFileSync(path.join(__dirname, 'shared', 'schema', 'common.graphql'), 'utf8');
const SERVICES_DIR = path.join(__dirname, 'services');
// From a service's generated/ folder, the shared code.
const SHARED = '../../../../shared/src';
// Federation 2 directives the subgraphs import: declared so that codegen can read the SDL (composition checks them).
const FEDERATION_DIRECTIVES = `
directive @link(url: String!, import: [String]) repeatable on SCHEMA
directive @shareable repeatable on OBJECT | FIELD_DEFINITION
directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION
`;

/** The first group of each match of a global regular expression. */
const firstGroups = (text: string, re: RegExp): string[] => [...text.matchAll(re)].map((m) => m[1] ?? '');

/** Names a module exports as `export { A, B }` or `export (type|interface|class) Name`. */
function exportedNames(file: string): string[] {
  if (!fs.existsSync(file)) return [];
  const source = fs.readFileSync(file, 'utf8');
  const listed = firstGroups(source, /^export (?:type )?\{([^}]*)\}/gm).flatMap((list) =>
    list.split(',').map(
      (n) =>
        n
          .trim()
          .split(/\s+as\s+/)
          .pop() ?? '',
    ),
  );
  const declared = firstGroups(source, /^export (?:type|interface|class|const) (\w+)/gm);
  return [...new Set([...listed, ...declared])].filter((n) => n.length > 0);
}

/** The enums a schema declares. */
const enumsOf = (sdl: string) => new Set(firstGroups(sdl, /^enum (\w+)/gm));

/** Enums whose values are stored otherwise, declared in `file` (as an object of stored values and its type), as codegen's enumValues. */
function storedEnums(sdl: string, file: string, from: string): Record<string, string> {
  const enums = enumsOf(sdl);
  return Object.fromEntries(
    exportedNames(file)
      .filter((e) => enums.has(e))
      .map((e) => [e, `${from}#${e}`]),
  );
}

// The common schema's enums, declared in shared/src/graphql/enums.ts.
const COMMON_ENUM_VALUES = storedEnums(
  COMMON_SDL,
  path.join(__dirname, 'shared', 'src', 'graphql', 'enums.ts'),
  `${SHARED}/graphql/enums`,
);

/**
 * Resolver types of one service. A resolver's parent is what the field's type is made from: the
 * TypeORM entity of the same name, or a `<Type>Parent` declared in the service's resolvers/parents.ts;
 * a country is its key, an audit entry the row of the audit log, a page of history what
 * historyField returns.
 */
function serviceResolvers(name: string): Types.ConfiguredOutput {
  const dir = path.join(SERVICES_DIR, name);
  const sdl = fs.readFileSync(path.join(dir, 'schema.graphql'), 'utf8');
  const types = new Set(firstGroups(`${sdl}\n${COMMON_SDL}`, /^(?:extend )?type (\w+)/gm));
  const mappers: Record<string, string> = {
    Country: `${SHARED}/graphql/subgraph#CountryKey`,
    AuditEntry: `${SHARED}/editing/audit#AuditEntryRow`,
    AuditEntryConnection: `${SHARED}/editing/audit#HistoryPage`,
  };
  for (const entity of exportedNames(path.join(dir, 'src', 'entities', 'index.ts'))) {
    if (types.has(entity)) mappers[entity] = `../entities#${entity}`;
  }
  for (const parent of exportedNames(path.join(dir, 'src', 'resolvers', 'parents.ts'))) {
    const type = parent.replace(/Parent$/, '');
    if (parent !== type && types.has(type)) mappers[type] = `../resolvers/parents#${parent}`;
  }
  // The service's own enums whose values are stored otherwise are declared in its resolvers/enums.ts.
  const enumValues = {
    ...COMMON_ENUM_VALUES,
    ...storedEnums(sdl, path.join(dir, 'src', 'resolvers', 'enums.ts'), '../resolvers/enums'),
  };
  return {
    schema: [FEDERATION_DIRECTIVES, sdl, COMMON_SDL],
    plugins: [
      {
        add: {
          content: `/* Generated by \`npm run codegen\` from services/${name}/schema.graphql and shared/schema/common.graphql: do not edit. */`,
        },
      },
      'typescript',
      'typescript-resolvers',
    ],
    config: {
      federation: true,
      contextType: '../context#Context',
      mappers,
      enumValues,
      scalars: SCALARS,
      enumsAsTypes: true,
      useTypeImports: true,
      useIndexSignature: false,
      // graphql-js turns an Error returned for a field or a list item into that item's error (countryReferences does).
      resolverTypeWrapperSignature: 'Promise<T> | T | Error',
      // The entities share their GraphQL types' names: imported as LegalInstrumentModel and the like.
      mapperTypeSuffix: 'Model',
    },
  };
}

const services = fs.readdirSync(SERVICES_DIR).filter((name) => fs.existsSync(path.join(SERVICES_DIR, name, 'schema.graphql')));

const config: CodegenConfig = {
  overwrite: true,
  generates: {
    'clients/generated/schema.graphql': { schema: apiSchema, plugins: ['schema-ast'], config: { includeDirectives: false } },
    'clients/generated/operations.ts': {
      schema: apiSchema,
      documents: 'operations/*.graphql',
      plugins: [
        {
          add: {
            content:
              '/* Generated by `npm run codegen` from operations/*.graphql and the API schema of gateway/supergraph.graphql: do not edit. */',
          },
        },
        'typescript-operations',
        'typed-document-node',
      ],
      config: {
        enumsAsTypes: true,
        avoidOptionals: { field: true, inputValue: false, object: true, defaultValue: false },
        scalars: SCALARS,
        useTypeImports: true,
      },
    },
    // Apollo Client's cache configuration: entities keyed as the supergraph's @key directives say.
    'clients/generated/typePolicies.ts': { schema: apiSchema, plugins: [{ add: { content: typePoliciesModule(supergraph) } }] },
    ...Object.fromEntries(services.map((name) => [`services/${name}/src/generated/resolvers.ts`, serviceResolvers(name)])),
  },
};

export default config;
