import fs from 'node:fs';
import { composeSupergraph, SUPERGRAPH_FILE } from '../../gateway/src/compose';
import { SERVICE_NAMES } from '../../shared/src/runtime/config';
import { validateSupergraph } from '../../gateway/src/server';

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
    expect(() => validateSupergraph('type Query { hello: String }')).toThrow(/the supergraph is invalid/);
  });
});
