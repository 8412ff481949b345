import fs from 'node:fs';
import path from 'node:path';
import { getNamedType, isObjectType, Kind, parse, type SelectionSetNode, TypeInfo, visit, visitWithTypeInfo } from 'graphql';
import { PROJECT_ROOT } from '../../shared/src/runtime/config';
import { apiSchemaOf } from '../../gateway/src/compose';
import { cachePoliciesOf, keySpecifier } from '../../gateway/src/typePolicies';
import { typePolicies } from '../../clients/generated/typePolicies';

const supergraph = fs.readFileSync(path.join(PROJECT_ROOT, 'gateway', 'supergraph.graphql'), 'utf8');

describe('Apollo Client type policies read from the supergraph', () => {
  it("identifies every entity by its federation key: codes, acronyms and ids as the gateway's @key directives say", () => {
    expect(cachePoliciesOf(supergraph).keyFields).toEqual({
      ConsultativeProcess: ['code'],
      Country: ['code'],
      Indicator: ['code'],
      LegalInstrument: ['code'],
      Meeting: ['id'],
      MigrationPolicy: ['id'],
      MigrationProfile: ['id'],
      Programme: ['id'],
      Publication: ['id'],
      RegionalOrganization: ['code'],
      Training: ['id'],
      UnAgency: ['acronym'],
    });
  });

  it('merges the objects of every type that has neither a key nor an id, and leaves a type with an id to the default', () => {
    const { keyFields, merged } = cachePoliciesOf(supergraph);
    const schema = apiSchemaOf(supergraph);
    const objectTypes = Object.values(schema.getTypeMap()).filter(
      (t) => isObjectType(t) && !t.name.startsWith('__') && !['Query', 'Mutation', 'Subscription'].includes(t.name),
    );
    const withoutIdentity = objectTypes
      .filter((t) => isObjectType(t) && !(t.name in keyFields) && !('id' in t.getFields()))
      .map((t) => t.name)
      .sort();
    expect(merged).toEqual(withoutIdentity);
    expect(merged).toEqual(expect.arrayContaining(['TreatyStatus', 'StockFigure', 'PageInfo', 'CountryConnection']));
    expect(merged).not.toContain('AuditEntry');
  });

  it('reads a compound or nested key as Apollo key fields', () => {
    expect([keySpecifier('code'), keySpecifier('id country { code }'), keySpecifier('a b { c d { e } } f')]).toEqual([
      ['code'],
      ['id', 'country', ['code']],
      ['a', 'b', ['c', 'd', ['e']], 'f'],
    ]);
  });

  it('takes the resolvable key of a type whose graphs declare it with other keys', () => {
    const sdl = `
      type A @join__type(graph: ONE, key: "legacyId", resolvable: false) @join__type(graph: TWO, key: "code") { code: ID! legacyId: ID! }
      type B @join__type(graph: ONE) { total: Int }
      type C @join__type(graph: ONE) { id: ID! }
      type Query { a: A }
    `;
    expect(cachePoliciesOf(sdl)).toEqual({ keyFields: { A: ['code'] }, merged: ['B'] });
  });

  it('is what the generated module exports, one policy per object type', () => {
    const { keyFields, merged } = cachePoliciesOf(supergraph);
    expect(typePolicies).toEqual({
      ...Object.fromEntries(Object.entries(keyFields).map(([type, fields]) => [type, { keyFields: fields }])),
      ...Object.fromEntries(merged.map((type) => [type, { merge: true }])),
    });
  });

  it('has every named operation select the key fields of each entity it asks for (Apollo Client cannot store an entity without them)', () => {
    const schema = apiSchemaOf(supergraph);
    const { keyFields } = cachePoliciesOf(supergraph);
    const missing: string[] = [];
    for (const file of fs
      .readdirSync(path.join(PROJECT_ROOT, 'operations'))
      .filter((f) => f.endsWith('.graphql'))
      .sort()) {
      const document = parse(fs.readFileSync(path.join(PROJECT_ROOT, 'operations', file), 'utf8'));
      const typeInfo = new TypeInfo(schema);
      visit(
        document,
        visitWithTypeInfo(typeInfo, {
          SelectionSet(node: SelectionSetNode) {
            const type = getNamedType(typeInfo.getType());
            const key = type ? keyFields[type.name] : undefined;
            if (!type || !key) return;
            const selected = new Set(node.selections.flatMap((s) => (s.kind === Kind.FIELD && !s.alias ? [s.name.value] : [])));
            for (const field of key.filter((k): k is string => typeof k === 'string'))
              if (!selected.has(field)) missing.push(`${file}: ${type.name} without ${field}`);
          },
        }),
      );
    }
    expect(missing).toEqual([]);
  });
});
