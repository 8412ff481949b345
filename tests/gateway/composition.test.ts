import fs from 'node:fs';
import { buildSchema, OperationTypeNode, specifiedDirectives } from 'graphql';
import { apiSchemaOf, composeSupergraph, SUPERGRAPH_FILE } from '../../gateway/src/compose';
import { SERVICE_NAMES } from '../../shared/src/runtime/config';
import { validateSupergraph } from '../../gateway/src/supergraph';

describe('composition of the four subgraphs', () => {
  it('composes the four schemas with no errors', () => {
    expect(() => composeSupergraph()).not.toThrow();
  });

  it('finds the committed supergraph.graphql identical to a fresh composition', () => {
    expect(fs.readFileSync(SUPERGRAPH_FILE, 'utf8')).toBe(composeSupergraph());
  });

  it('names all four subgraphs in the supergraph', () => {
    const sdl = composeSupergraph();
    const graphs = [...sdl.matchAll(/@join__graph\(name: "([^"]+)"/g)].map((m) => m[1]).sort();
    expect(graphs).toEqual([...SERVICE_NAMES].sort());
  });

  it('refuses a supergraph that is not one, with a clear message', () => {
    expect(() => validateSupergraph('type Query { hello: String }')).toThrow(/the supergraph is invalid: .*join specification/);
    const sdl = fs.readFileSync(SUPERGRAPH_FILE, 'utf8');
    expect(() => validateSupergraph(sdl)).not.toThrow();
    const withoutUrl = sdl.replace(/(@join__graph\(name: "[^"]+", url: )"[^"]*"/, '$1""');
    expect(withoutUrl).not.toBe(sdl);
    expect(() => validateSupergraph(withoutUrl)).toThrow(/the supergraph is invalid: subgraph \w+ has no URL/);
    expect(() => validateSupergraph(`${sdl}\ntype Extra @nope { a: Int }`)).toThrow(/Unknown directive "@nope"/);
    expect(() => validateSupergraph(sdl.slice(0, sdl.length / 2))).toThrow(/the supergraph is invalid: Syntax Error/);
  });

  it("reads the API schema clients see from the supergraph: every type and field, none of federation's machinery", () => {
    const sdl = fs.readFileSync(SUPERGRAPH_FILE, 'utf8');
    const api = apiSchemaOf(sdl);
    const full = buildSchema(sdl, { assumeValidSDL: true });
    const names = (schema: typeof api) => Object.keys(schema.getTypeMap()).sort();
    expect(names(api)).toEqual(names(full).filter((n) => !/^(join__|link__)/.test(n)));
    expect(names(full).some((n) => n.startsWith('join__'))).toBe(true);
    expect(api.getDirectives().map((d) => d.name)).toEqual(specifiedDirectives.map((d) => d.name));
    const fields = (schema: typeof api, root: OperationTypeNode) => Object.keys(schema.getRootType(root)?.getFields() ?? {});
    expect(fields(api, OperationTypeNode.QUERY)).toEqual(fields(full, OperationTypeNode.QUERY));
    expect(fields(api, OperationTypeNode.MUTATION)).toEqual(fields(full, OperationTypeNode.MUTATION));
    expect(fields(api, OperationTypeNode.MUTATION).length).toBeGreaterThan(40);
    expect(() => apiSchemaOf(`${sdl}\nextend type Query { hidden: String @inaccessible }`)).toThrow(/@inaccessible/);
  });
});
